using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    public abstract class LcCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        protected sealed override void BeginProcessing() => Guard(Begin);
        protected sealed override void ProcessRecord() => Guard(Process);
        protected sealed override void EndProcessing() => Guard(() => { Drain(); End(); });
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>
        /// PowerShell disposes the command however it ends. When it ends early without a stop (a downstream
        /// Select-Object -First has what it wants, or an error ended the pipeline), requests still in flight are
        /// cancelled here rather than left running with nobody to write their results or errors.
        /// </summary>
        public void Dispose() => _stop.Cancel();

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
        /// Runs an engine call to completion on a worker thread, relaying its verbose and debug messages
        /// on this (the pipeline) thread, which is the only thread PowerShell lets write.
        /// </summary>
        internal T Await<T>(Func<LcCall, Task<T>> operation)
        {
            if (!TraceWanted) return Task.Run(() => operation(new LcCall(_stop.Token))).GetAwaiter().GetResult();
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

        /// <summary>
        /// Validates input for one record; on failure writes the error (the engine's kind decides its id: InvalidId,
        /// NoLocationId, ...) after the records before it, and returns false.
        /// </summary>
        internal bool TryValidate(Action validate, object? target) => TryValidate(validate, target, null, ErrorCategory.InvalidArgument);

        /// <summary>The same, with an error id of the cmdlet's own for what it validates (such as InvalidMessage).</summary>
        internal bool TryValidate(Action validate, object? target, string? errorId, ErrorCategory category)
        {
            try
            {
                validate();
                return true;
            }
            catch (LcException ex)
            {
                Drain(); // the records before this one come first
                if (errorId == null || ex.Kind != LcErrorKind.InvalidInput) Report(ex, target);
                else WriteError(new ErrorRecord(ex, errorId, category, target));
                return false;
            }
        }

        /// <summary>-All and -First together are refused before anything is sent (ConflictingParameters).</summary>
        internal void RefuseAllWithFirst(bool all, int? first, string what = "match")
        {
            if (all && first != null)
                Terminate($"Use -All to read every {what}, or -First to stop after a number of them, not both.",
                    "ConflictingParameters", ErrorCategory.InvalidArgument, null);
        }

        // ------------------------------------------------------------------ bulk: a bounded window of requests in flight

        /// <summary>
        /// How many requests of this command may be in flight at once (the cmdlet's -ThrottleLimit); 1 = one at a time.
        /// </summary>
        protected virtual int ThrottleLimitValue => 1;

        private readonly Queue<InFlight> _inFlight = new Queue<InFlight>();
        private BulkRelay? _bulk;
        private bool? _traceWanted;

        /// <summary>
        /// Starts an engine call for one record without waiting for it. Call it on the pipeline thread after the record
        /// is validated and ShouldProcess said yes. When the window (<see cref="ThrottleLimitValue"/>) is full, first waits
        /// for the oldest call and writes its result, so output and errors keep the input order; the rest is written
        /// when the window moves on or at the end of the command. <paramref name="onSuccess"/> runs on the pipeline thread.
        /// </summary>
        internal void Start<T>(Func<LcCall, Task<T>> operation, object? target, Action<T> onSuccess)
        {
            var limit = Math.Max(1, ThrottleLimitValue);
            while (_inFlight.Count >= limit) FinishOldest();
            var bulk = _bulk ??= new BulkRelay(TraceWanted);
            var call = new LcCall(_stop.Token, bulk.Trace);
            var task = Task.Run(() => operation(call));
            task.ContinueWith(_ => bulk.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _inFlight.Enqueue(new InFlight(task, target, t => onSuccess(((Task<T>)t).GetAwaiter().GetResult())));
            if (limit == 1) FinishOldest(); // one at a time: finish before the next record, as a plain call would
        }

        internal void Start(Func<LcCall, Task> operation, object? target, Action onSuccess) =>
            Start(async call => { await operation(call).ConfigureAwait(false); return true; }, target, _ => onSuccess());

        /// <summary>
        /// Starts one call per id (<see cref="Start{T}"/>: up to -ThrottleLimit in flight, results written in input order).
        /// With an array of ids a bar counts the calls as they start and closes once the last result is written; piped ids
        /// come one per record: no bar, and the window stays open across records.
        /// </summary>
        internal void StartEach<T>(string[] ids, string activity, Func<string, LcCall, Task<T>> get)
        {
            var bar = ids.Length > 1 ? new ProgressBar(this, ProgressBar.Items, activity) : null;
            try
            {
                for (int i = 0; i < ids.Length; i++)
                {
                    var id = ids[i];
                    bar?.Item(i, ids.Length, id);
                    Start(call => get(id, call), id, result => WriteObject(result));
                }
                if (bar != null) Drain();
            }
            finally
            {
                bar?.Complete();
            }
        }

        /// <summary>
        /// Pages through a cursor-paged list: fetches a page, hands each of its items to <paramref name="write"/> (on this
        /// thread, as the page arrives; nothing accumulates), and asks for the next until the pager is done or a call
        /// fails (the error is reported, the command goes on with the next record). With -All or -First a bar shows the
        /// pages. The caller warns about what remains (<see cref="CursorPager{T}.StoppedAtFirstPage"/>).
        /// </summary>
        internal void Page<T>(CursorPager<T> pager, int barId, string activity, string noun, string? context, object? target,
            Func<int?, string?, LcCall, Task<CursorPage<T>>> fetch, Action<T> write)
        {
            int page = 0;
            var bar = new ProgressBar(this, barId, activity);
            try
            {
                while (!pager.Done)
                {
                    var limit = pager.NextLimit();
                    var cursor = pager.Cursor;
                    if (!TryAwait(call => fetch(limit, cursor, call), target, out var result)) break;
                    page++;
                    foreach (var item in pager.Accept(result)) write(item);
                    if (pager.PagesOn && !pager.Done) bar.Page(page, pager.Returned, pager.First, pager.Total, noun, context);
                }
            }
            finally
            {
                bar.Complete();
            }
        }

        /// <summary>Waits for every call in flight, oldest first, writing each one's result.</summary>
        internal void Drain()
        {
            while (_inFlight.Count > 0) FinishOldest();
            _bulk?.Pump(this, null);
        }

        private void FinishOldest()
        {
            var next = _inFlight.Peek();
            _bulk!.Pump(this, next.Task, _stop.Token);
            _inFlight.Dequeue();
            try
            {
                next.Task.GetAwaiter().GetResult();
            }
            catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !_stop.IsCancellationRequested)
            {
                // An error that every following record would hit too stops the command: nothing else in flight matters.
                if (ErrorMap.IsTerminating(ex.Kind)) _stop.Cancel();
                Report(ex, next.Target);
                return;
            }
            next.OnSuccess(next.Task);
        }

        /// <summary>Verbose or debug output is wanted (-Verbose/-Debug or their preference variables): only then trace.</summary>
        private bool TraceWanted => _traceWanted ??= Wanted("Verbose", "VerbosePreference") || Wanted("Debug", "DebugPreference");

        private bool Wanted(string switchName, string preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out var v)) return LanguagePrimitives.IsTrue(v);
            var pref = SessionState.PSVariable.GetValue(preference);
            if (pref == null) return false;
            try
            {
                var p = LanguagePrimitives.ConvertTo<ActionPreference>(pref);
                return p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
            }
            catch (PSInvalidCastException)
            {
                return true;
            }
        }

        private sealed class InFlight
        {
            public InFlight(Task task, object? target, Action<Task> onSuccess)
            {
                Task = task;
                Target = target;
                OnSuccess = onSuccess;
            }

            public Task Task { get; }
            public object? Target { get; }
            public Action<Task> OnSuccess { get; }
        }

        /// <summary>
        /// The verbose and debug messages of every call in flight, and a wake-up each time one ends, for the pipeline
        /// thread to write while it waits. Lives as long as the command (late messages of a cancelled call are dropped).
        /// </summary>
        private sealed class BulkRelay : ILcTrace
        {
            private readonly BlockingCollection<(int Kind, string? Message)> _queue = new BlockingCollection<(int, string?)>();

            public BulkRelay(bool traced) => Trace = traced ? this : null;

            /// <summary>What calls get as their trace: null when nobody listens, so the engine formats nothing.</summary>
            public ILcTrace? Trace { get; }

            public void Verbose(string message) => _queue.Add((1, message));
            public void Debug(string message) => _queue.Add((2, message));
            public void Wake() => _queue.Add((0, null));

            /// <summary>Writes messages until <paramref name="until"/> has ended (or, without one, those already here).</summary>
            public void Pump(Cmdlet cmdlet, Task? until, CancellationToken ct = default)
            {
                while (until != null && !until.IsCompleted) Write(cmdlet, _queue.Take(ct));
                while (_queue.TryTake(out var item)) Write(cmdlet, item);
            }

            private static void Write(Cmdlet cmdlet, (int Kind, string? Message) item)
            {
                if (item.Kind == 1) cmdlet.WriteVerbose(item.Message);
                else if (item.Kind == 2) cmdlet.WriteDebug(item.Message);
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
