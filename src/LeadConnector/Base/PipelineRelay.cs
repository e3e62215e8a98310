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

        /// <summary>Starts an engine call on a worker thread; the pipeline thread is woken when it ends.</summary>
        public Task<T> Run<T>(Func<LcCall, Task<T>> operation, CancellationToken cancellation)
        {
            var call = new LcCall(cancellation, _trace); // no trace when nobody listens: the engine formats nothing
            var task = Task.Run(() => operation(call));
            task.ContinueWith(_ => _queue.Add((Wake, null)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }

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
