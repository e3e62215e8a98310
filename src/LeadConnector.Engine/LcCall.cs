using System.Threading;

namespace LeadConnector
{
    /// <summary>
    /// Receives what the engine has to say about a call. The engine may call it from any thread;
    /// a host that can only write on one thread queues the messages (the cmdlet base class does).
    /// </summary>
    public interface ILcTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }

    /// <summary>Per-call context: cancellation and where to report progress. Passed to every operation.</summary>
    public readonly struct LcCall
    {
        public LcCall(CancellationToken cancellationToken, ILcTrace? trace = null)
        {
            CancellationToken = cancellationToken;
            Trace = trace;
        }

        public CancellationToken CancellationToken { get; }
        public ILcTrace? Trace { get; }

        /// <summary>Someone listens: only then is a trace message worth formatting.</summary>
        public bool HasTrace => Trace != null;

        internal void Verbose(string message) => Trace?.Verbose(message);
        internal void Debug(string message) => Trace?.Debug(message);
    }
}
