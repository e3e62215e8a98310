using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The shared plumbing of every LeadConnector cmdlet: picks the connection (-Connection, else the current one),
    /// runs engine calls off the pipeline thread while relaying their verbose and debug messages on it,
    /// cancels on Ctrl+C, and turns engine errors into PowerShell errors.
    /// </summary>
    public abstract class LcCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        protected sealed override void BeginProcessing() => Guard(Begin);
        protected sealed override void ProcessRecord() => Guard(Process);
        protected sealed override void EndProcessing() => Guard(End);
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Runs once before the pipeline input.</summary>
        protected virtual void Begin() { }
        /// <summary>Runs once per pipeline input (once when there is none).</summary>
        protected virtual void Process() { }
        /// <summary>Runs once after the pipeline input.</summary>
        protected virtual void End() { }

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
            catch (LcException ex)
            {
                // Anything not handled per record stops the command.
                Terminate(ex, null);
            }
        }

        /// <summary>
        /// Runs an engine call to completion on a worker thread, relaying its verbose and debug messages
        /// on this (the pipeline) thread, which is the only thread PowerShell lets write.
        /// </summary>
        internal T Await<T>(Func<LcCall, Task<T>> operation)
        {
            using var relay = new TraceRelay();
            var task = Task.Run(() => operation(new LcCall(_stop.Token, relay)));
            task.ContinueWith(_ => relay.Complete(), TaskScheduler.Default);
            foreach (var (debug, message) in relay.Messages())
            {
                if (debug) WriteDebug(message);
                else WriteVerbose(message);
            }
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

        internal bool TryAwait(Func<LcCall, Task> operation, object? target) =>
            TryAwait(async call => { await operation(call).ConfigureAwait(false); return true; }, target, out _);

        /// <summary>Validates input for one record; on failure writes InvalidId/InvalidArgument and returns false.</summary>
        internal bool TryValidate(Action validate, object? target)
        {
            try
            {
                validate();
                return true;
            }
            catch (LcException ex)
            {
                Report(ex, target);
                return false;
            }
        }

        /// <summary>The connection to use: -Connection, else the process-wide one from Connect-Lc.</summary>
        internal Connection RequireConnection(Connection? explicitConnection)
        {
            var c = explicitConnection ?? ConnectionStore.Current;
            if (c == null) Terminate(LcException.NotConnected(), null);
            return c!;
        }

        /// <summary>ShouldProcess, where -Force skips the prompt but never -WhatIf or an explicit -Confirm.</summary>
        internal bool ShouldProcessOrForce(string target, string action, bool force)
        {
            if (force && !WhatIfInEffect && !ConfirmGiven) return true;
            return ShouldProcess(target, action);
        }

        /// <summary>-WhatIf is in effect (the switch or $WhatIfPreference).</summary>
        private bool WhatIfInEffect =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
                ? LanguagePrimitives.IsTrue(w)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>-Confirm was given explicitly.</summary>
        private bool ConfirmGiven =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && LanguagePrimitives.IsTrue(c);

        internal void Report(LcException ex, object? target)
        {
            var record = ErrorMap.ToErrorRecord(ex, target);
            if (ErrorMap.IsTerminating(ex.Kind)) ThrowTerminatingError(record);
            else WriteError(record);
        }

        internal void Terminate(LcException ex, object? target) => ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, target));

        internal void Terminate(string message, string errorId, ErrorCategory category, object? target) =>
            ThrowTerminatingError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, message), errorId, category, target));

        /// <summary>Collects engine messages from any thread and hands them to the pipeline thread in order.</summary>
        private sealed class TraceRelay : ILcTrace, IDisposable
        {
            private readonly BlockingCollection<(bool Debug, string Message)> _queue = new BlockingCollection<(bool, string)>();

            public void Verbose(string message) => Add(false, message);
            public void Debug(string message) => Add(true, message);

            private void Add(bool debug, string message)
            {
                try { _queue.Add((debug, message)); }
                catch (InvalidOperationException) { } // completed: the call is over, late messages are dropped
            }

            public void Complete() => _queue.CompleteAdding();

            public System.Collections.Generic.IEnumerable<(bool, string)> Messages() => _queue.GetConsumingEnumerable();

            public void Dispose() => _queue.Dispose();
        }
    }
}
