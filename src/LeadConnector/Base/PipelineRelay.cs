using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The one bridge between a command's engine calls and its pipeline thread, the only thread PowerShell lets write.
    /// Calls run on worker threads (<see cref="Run{T}"/>) and may trace from any of them; the relay queues their verbose
    /// and debug messages, and a wake-up when each call ends, and <see cref="Pump"/> writes them on the pipeline thread
    /// while it waits. One per command, for single calls and the bulk window alike; late messages of a cancelled call
    /// are never written.
    /// </summary>
    internal sealed class PipelineRelay : ILcTrace
    {
        private const int Wake = 0, VerboseKind = 1, DebugKind = 2;
        private readonly BlockingCollection<(int Kind, string? Message)> _queue = new BlockingCollection<(int, string?)>();
        private readonly ILcTrace? _trace;

        public PipelineRelay(bool traced) => _trace = traced ? this : null;

        public void Verbose(string message) => _queue.Add((VerboseKind, message));
        public void Debug(string message) => _queue.Add((DebugKind, message));

        /// <summary>
        /// Starts an engine call; the pipeline thread is woken when it ends. The call starts on the calling (pipeline)
        /// thread and runs there until its first wait for the network (building and checking the request, the pacing
        /// permit, writing it to the socket), then on the thread pool: no hop to a worker just to start it. No
        /// synchronization context is captured meanwhile (the engine never needs to come back to this thread), and an
        /// error thrown before the first wait is the task's, as it would be from a worker.
        /// </summary>
        /// <param name="blocking">
        /// The caller waits for this call and nothing else (one request, not a window): when nothing is traced, the engine
        /// may then do the exchange synchronously on this thread (<see cref="LcCall.Blocks"/>), and the task is usually
        /// done when this returns. With a trace, messages are written as they come, so the call stays asynchronous.
        /// </param>
        public Task<T> Run<T>(Func<LcCall, Task<T>> operation, CancellationToken cancellation, bool blocking = false)
        {
            // No trace when nobody listens: the engine formats nothing.
            var call = new LcCall(cancellation, _trace, blocking && _trace == null ? Environment.CurrentManagedThreadId : 0);
            Task<T> task;
            var context = SynchronizationContext.Current;
            if (context != null) SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                task = operation(call) ?? Task.FromException<T>(new InvalidOperationException("The engine call returned no task."));
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }
            finally
            {
                if (context != null) SynchronizationContext.SetSynchronizationContext(context);
            }
            // Ended already (an answer served from memory, a refusal before sending): nothing to wake.
            if (!task.IsCompleted)
                task.ContinueWith(WakeAfter, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }

        private static readonly Action<Task, object?> WakeAfter = (_, relay) => ((PipelineRelay)relay!)._queue.Add((Wake, null));

        /// <summary>
        /// On the pipeline thread: writes messages until <paramref name="until"/> has ended (without one, those already
        /// here). Ctrl+C ends the wait at once (OperationCanceledException).
        /// </summary>
        public void Pump(Cmdlet cmdlet, Task? until, CancellationToken cancellation)
        {
            while (until != null && !until.IsCompleted) Write(cmdlet, _queue.Take(cancellation));
            while (_queue.TryTake(out var item)) Write(cmdlet, item);
        }

        private static void Write(Cmdlet cmdlet, (int Kind, string? Message) item)
        {
            if (item.Kind == VerboseKind) cmdlet.WriteVerbose(item.Message);
            else if (item.Kind == DebugKind) cmdlet.WriteDebug(item.Message);
        }

        /// <summary>Verbose or debug output is wanted (-Verbose/-Debug or their preference variables): only then trace.</summary>
        public static bool TraceWanted(PSCmdlet cmdlet) =>
            Wanted(cmdlet, "Verbose", "VerbosePreference") || Wanted(cmdlet, "Debug", "DebugPreference");

        private static bool Wanted(PSCmdlet cmdlet, string switchName, string preference)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue(switchName, out var v)) return LanguagePrimitives.IsTrue(v);
            var pref = cmdlet.SessionState.PSVariable.GetValue(preference);
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
    }
}
