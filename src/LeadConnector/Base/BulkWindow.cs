using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// A bounded window of engine calls in flight for one command: up to -ThrottleLimit at once, their results, errors
    /// and messages written on the pipeline thread in input order. Ctrl+C (or an error that stops the command) cancels
    /// every call in flight and starts no more.
    /// </summary>
    internal sealed class BulkWindow
    {
        private readonly LcCmdlet _cmdlet;
        private readonly int _limit;
        private readonly Queue<(Task Task, object? Target, Action<Task> OnSuccess)> _inFlight = new Queue<(Task, object?, Action<Task>)>();

        public BulkWindow(LcCmdlet cmdlet, int limit)
        {
            _cmdlet = cmdlet;
            _limit = Math.Max(1, limit);
        }

        /// <summary>
        /// Starts a call without waiting for it. When the window is full, first waits for the oldest call and writes its
        /// result, so output and errors keep the input order; the rest is written when the window moves on or at the end
        /// of the command. With a limit of 1 the call finishes before the next record, as a plain call would.
        /// </summary>
        /// <param name="limit">The in-flight limit for this call, when larger than -ThrottleLimit (<see cref="WindowQuota"/>).</param>
        public void Start<T>(Func<LcCall, Task<T>> operation, object? target, Action<T> onSuccess, int limit = 0)
        {
            var most = Math.Max(_limit, limit);
            while (_inFlight.Count >= most) FinishOldest();
            var task = _cmdlet.Relay.Run(operation, _cmdlet.Cancellation);
            _inFlight.Enqueue((task, target, t => onSuccess(((Task<T>)t).GetAwaiter().GetResult())));
            if (_limit == 1) FinishOldest();
        }

        /// <summary>Waits for every call in flight, oldest first, writing each one's result.</summary>
        public void Drain()
        {
            while (_inFlight.Count > 0) FinishOldest();
            _cmdlet.Relay.Pump(_cmdlet, null, _cmdlet.Cancellation);
        }

        private void FinishOldest()
        {
            var next = _inFlight.Peek();
            _cmdlet.Relay.Pump(_cmdlet, next.Task, _cmdlet.Cancellation);
            _inFlight.Dequeue();
            try
            {
                next.Task.GetAwaiter().GetResult();
            }
            catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !_cmdlet.Cancellation.IsCancellationRequested)
            {
                // An error that every following record would hit too stops the command: nothing else in flight matters.
                if (ErrorMap.IsTerminating(ex.Kind)) _cmdlet.Cancel();
                _cmdlet.Report(ex, next.Target);
                return;
            }
            next.OnSuccess(next.Task);
        }
    }
}
