using System.Threading;

namespace LeadConnector.Engine
{
    /// <summary>The fastest answer (timestamps from leaving to the answer) seen from one host by any of its gates.</summary>
    internal sealed class HostLatency
    {
        private long _fastest = long.MaxValue;

        public long Fastest => Interlocked.Read(ref _fastest);

        public void Saw(long took)
        {
            long cur;
            do { cur = Interlocked.Read(ref _fastest); }
            while (took < cur && Interlocked.CompareExchange(ref _fastest, took, cur) != cur);
        }
    }
}
