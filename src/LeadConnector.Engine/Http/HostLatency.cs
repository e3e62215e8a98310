using System;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The fastest answer (timestamps from leaving to the answer) seen lately from one host by any of its gates: the
    /// minimum over the current epoch and the one before (<see cref="EpochMs"/> each), so a network that became slower (a
    /// new route, a VPN, a server that now answers in 150 ms where it answered in 1) is known for what it is within two
    /// epochs, instead of every answer being taken for a delayed one for the rest of the process. An epoch without answers
    /// keeps what the one before knew. A faster answer counts at once.
    /// </summary>
    internal sealed class HostLatency
    {
        /// <summary>How long an epoch lasts.</summary>
        internal const double EpochMs = 30_000;

        private readonly object _sync = new object();
        private readonly long _epoch;            // EpochMs in timestamps
        private long _current = long.MaxValue;   // this epoch's minimum
        private long _previous = long.MaxValue;  // the last epoch with answers
        private long _epochStart = long.MinValue;
        private long _fastest = long.MaxValue;   // min(_current, _previous), read without the lock

        /// <param name="time">Whose timestamps <see cref="Saw"/> is given.</param>
        public HostLatency(TimeProvider time)
        {
            _epoch = (long)(EpochMs * time.TimestampFrequency / 1000.0);
        }

        /// <summary>The fastest answer of the last one or two epochs (long.MaxValue before any).</summary>
        public long Fastest => System.Threading.Interlocked.Read(ref _fastest);

        /// <summary>Records an answer that took <paramref name="took"/>, at <paramref name="now"/> (timestamps).</summary>
        public void Saw(long took, long now)
        {
            lock (_sync)
            {
                if (_epochStart == long.MinValue) _epochStart = now;
                else if (now - _epochStart >= _epoch)
                {
                    if (_current != long.MaxValue) _previous = _current;
                    _current = long.MaxValue;
                    _epochStart = now;
                }
                if (took < _current) _current = took;
                System.Threading.Interlocked.Exchange(ref _fastest, Math.Min(_current, _previous));
            }
        }
    }
}
