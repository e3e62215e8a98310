using System.Threading;

namespace LeadConnector
{
    /// <summary>Per-call context: cancellation and where to report progress. Passed to every operation.</summary>
    public readonly struct LcCall
    {
        public LcCall(CancellationToken cancellationToken, ILcTrace? trace = null)
        {
            CancellationToken = cancellationToken;
            Trace = trace;
            BlockingThread = 0;
        }

        /// <summary>
        /// A call whose caller blocks <paramref name="blockingThread"/> (a managed thread id) until it ends: while the
        /// call runs on that thread, the engine may do its network I/O synchronously there (see <see cref="Blocks"/>).
        /// </summary>
        internal LcCall(CancellationToken cancellationToken, ILcTrace? trace, int blockingThread)
        {
            CancellationToken = cancellationToken;
            Trace = trace;
            BlockingThread = blockingThread;
        }

        public CancellationToken CancellationToken { get; }
        public ILcTrace? Trace { get; }

        /// <summary>The managed thread id of the caller that blocks until this call ends; 0 when no caller does.</summary>
        internal int BlockingThread { get; }

        /// <summary>
        /// True while the call runs on the thread its caller blocks: waiting on the network there costs nothing more, and
        /// saves the hops to the thread pool and back. False once an await has moved the call elsewhere (a pacing wait,
        /// a retry delay), so a pool thread never blocks.
        /// </summary>
        internal bool Blocks => BlockingThread != 0 && BlockingThread == System.Environment.CurrentManagedThreadId;

        /// <summary>
        /// The same call for work started alongside other work (several requests in flight at once): it never does its
        /// I/O synchronously on the caller's thread, which would run the requests one after another.
        /// </summary>
        internal LcCall Concurrent => new LcCall(CancellationToken, Trace);

        /// <summary>Someone listens: only then is a trace message worth formatting.</summary>
        public bool HasTrace => Trace != null;

        internal void Verbose(string message) => Trace?.Verbose(message);
        internal void Debug(string message) => Trace?.Debug(message);
    }
}
