using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The root of every LeadConnector cmdlet, with one job: engine calls end well in PowerShell. It runs them off the
    /// pipeline thread (<see cref="PipelineRelay"/> writes their messages on it), cancels them on Ctrl+C or an early end,
    /// and turns engine errors into PowerShell errors (<see cref="ErrorMap"/>): per record, or stopping the command.
    /// </summary>
    /// <remarks>
    /// The chain: <see cref="LcCmdlet"/> (errors, cancellation), <see cref="LcConnectedCmdlet"/> (-Connection, resolved
    /// once), <see cref="LcBulkCmdlet"/> (-ThrottleLimit and the <see cref="BulkWindow"/>). A cmdlet overrides
    /// <see cref="Begin"/>, <see cref="Process"/> or <see cref="End"/>.
    /// </remarks>
    public abstract class LcCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private PipelineRelay? _relay;

        protected sealed override void BeginProcessing() => Guard(() => { Begin(); Open(); });
        protected sealed override void ProcessRecord() => Guard(() => { NextRecord(); Process(); });
        protected sealed override void EndProcessing() => Guard(() => { Drain(); End(); Close(true); });
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>
        /// PowerShell disposes the command however it ends. When it ends early without a stop (a downstream
        /// Select-Object -First has what it wants, or an error ended the pipeline), requests still in flight are
        /// cancelled here rather than left running with nobody to write their results or errors.
        /// </summary>
        public void Dispose()
        {
            _stop.Cancel();
            Close(false);
        }

        /// <summary>Runs once before the pipeline input.</summary>
        protected virtual void Begin() { }
        /// <summary>Runs once per pipeline input (once when there is none).</summary>
        protected virtual void Process() { }
        /// <summary>Runs once after the pipeline input.</summary>
        protected virtual void End() { }

        /// <summary>
        /// For the base classes of the chain: what they set up after <see cref="Begin"/>, so a cmdlet's own parameter
        /// errors (ConflictingParameters, NothingToUpdate, ...) come first, as they did when the connection was looked up per record.
        /// </summary>
        internal virtual void Open() { }

        /// <summary>For the base classes of the chain: a pipeline record is about to be processed.</summary>
        internal virtual void NextRecord() { }

        /// <summary>For the base classes of the chain: the command finished (true, after End) or is disposed (false).</summary>
        internal virtual void Close(bool finished) { }

        /// <summary>For the base classes of the chain: writes whatever is still in flight, in order (before an error, at the end).</summary>
        internal virtual void Drain() { }

        /// <summary>Cancelled by Ctrl+C, an early end of the pipeline, or an error that stops the command.</summary>
        internal CancellationToken Cancellation => _stop.Token;

        /// <summary>Cancels every call of this command (an error every following record would hit too).</summary>
        internal void Cancel() => _stop.Cancel();

        /// <summary>The command's one relay to the pipeline thread, made on first use (on the pipeline thread).</summary>
        internal PipelineRelay Relay => _relay ??= new PipelineRelay(PipelineRelay.TraceWanted(this));

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (LcException ex) when (ex.Kind == LcErrorKind.Cancelled || _stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (LcException ex)
            {
                // Anything not handled per record stops the command.
                Terminate(ex, null);
            }
        }

        /// <summary>
        /// Runs an engine call to completion, writing its verbose and debug messages meanwhile. The pipeline thread waits
        /// for it anyway, so an untraced call may do its exchange right here (<see cref="PipelineRelay.Run{T}"/>).
        /// </summary>
        internal T Await<T>(Func<LcCall, Task<T>> operation)
        {
            var task = Relay.Run(operation, _stop.Token, blocking: true);
            Relay.Pump(this, task, _stop.Token);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Runs an engine call for one pipeline record. On failure writes the error (or stops the command for errors
        /// that every following record would hit too) and returns false, so the pipeline goes on.
        /// </summary>
        internal bool TryAwait<T>(Func<LcCall, Task<T>> operation, object? target, out T result)
        {
            try
            {
                result = Await(operation);
                return true;
            }
            catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !_stop.IsCancellationRequested)
            {
                Report(ex, target);
                result = default!;
                return false;
            }
        }

        /// <summary>
        /// Builds what one record needs (usually: an operation builds and checks its request). On refused input writes the
        /// error after the records before it and returns false. The error id is the engine kind's (<see cref="ErrorMap"/>:
        /// InvalidId, NoLocationId, ...), or <paramref name="errorId"/> for refused input other than an id (InvalidMessage).
        /// </summary>
        internal bool TryPrepare<T>(Func<T> prepare, object? target, out T prepared, string? errorId = null)
        {
            try
            {
                prepared = prepare();
                return true;
            }
            catch (LcException ex)
            {
                Drain(); // the records before this one come first
                if (errorId == null || ex.Kind != LcErrorKind.InvalidInput || Engine.InputGuard.RefusedId(ex)) Report(ex, target);
                else WriteError(new ErrorRecord(ex, errorId, ErrorCategory.InvalidArgument, target));
                prepared = default!;
                return false;
            }
        }

        /// <summary>ShouldProcess, where -Force skips the prompt but never -WhatIf or an explicit -Confirm.</summary>
        internal bool ShouldProcessOrForce(string target, string action, bool force)
        {
            if (force && !Bound("WhatIf", "WhatIfPreference") && !(MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && LanguagePrimitives.IsTrue(c)))
                return true;
            return ShouldProcess(target, action);
        }

        /// <summary>A switch's value when given, else its preference variable's (-WhatIf and $WhatIfPreference).</summary>
        private bool Bound(string name, string preference) =>
            MyInvocation.BoundParameters.TryGetValue(name, out var v) ? LanguagePrimitives.IsTrue(v) : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue(preference));

        /// <summary>Writes the error of one record, or stops the command for errors every following record would hit too.</summary>
        internal void Report(LcException ex, object? target)
        {
            var record = ErrorMap.ToErrorRecord(ex, target);
            if (ErrorMap.IsTerminating(ex.Kind)) ThrowTerminatingError(record);
            else WriteError(record);
        }

        internal void Terminate(LcException ex, object? target) => ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, target));

        internal void Terminate(string message, string errorId, ErrorCategory category, object? target) =>
            ThrowTerminatingError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, message), errorId, category, target));
    }
}
