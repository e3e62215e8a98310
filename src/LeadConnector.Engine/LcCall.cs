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
        }

        public CancellationToken CancellationToken { get; }
        public ILcTrace? Trace { get; }

        /// <summary>Someone listens: only then is a trace message worth formatting.</summary>
        public bool HasTrace => Trace != null;

        internal void Verbose(string message) => Trace?.Verbose(message);
        internal void Debug(string message) => Trace?.Debug(message);
    }
}
