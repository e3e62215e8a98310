using System;
using System.Collections.Generic;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The pacing gates of a process, one per token, host and location, so every connection and runspace that shares
    /// a quota shares its gate. A gate nobody has used for <see cref="IdleAfter"/> (and that holds nothing worth
    /// keeping: no waiter, no hold, no daily block) is forgotten, so a long session that touches many locations does not
    /// keep them all. Clients look their gate up for every request, so a forgotten gate is never used again.
    /// </summary>
    internal sealed class RateGates
    {
        /// <summary>The process's gates, on the system clock.</summary>
        public static readonly RateGates Shared = new RateGates(TimeProvider.System);

        /// <summary>How long a gate must go unused before it may be forgotten.</summary>
        internal static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(10);

        /// <summary>How often the look-ups sweep for idle gates.</summary>
        internal static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

        private readonly object _sync = new object();
        private readonly Dictionary<string, RateGate> _gates = new Dictionary<string, RateGate>(StringComparer.Ordinal);
        private readonly Dictionary<string, HostLatency> _hosts = new Dictionary<string, HostLatency>(StringComparer.Ordinal);
        private readonly TimeProvider _time;
        private long _nextSweep;

        public RateGates(TimeProvider time)
        {
            _time = time;
            _nextSweep = time.GetTimestamp() + Stamps(SweepEvery);
        }

        /// <summary>The gate of <paramref name="key"/> (made on first use), marked as used now.</summary>
        public RateGate For(string key)
        {
            lock (_sync)
            {
                var now = _time.GetTimestamp();
                if (now >= _nextSweep) Sweep(now);
                if (!_gates.TryGetValue(key, out var gate)) _gates.Add(key, gate = new RateGate(_time, Host(key)));
                gate.Touch(now);
                return gate;
            }
        }

        /// <summary>
        /// The recent fastest answer of the host a key names (its second '|'-separated part: token|host|location), shared by its
        /// gates: a location whose requests all met a busy machine (a sweep's first window) still knows how fast an answer
        /// can be, so it does not take a slow answer's delay for the network's. Under the lock.
        /// </summary>
        private HostLatency Host(string key)
        {
            var parts = key.Split('|');
            var host = parts.Length >= 3 ? parts[1] : "";
            if (!_hosts.TryGetValue(host, out var latency)) _hosts.Add(host, latency = new HostLatency(_time));
            return latency;
        }

        /// <summary>How many gates are kept.</summary>
        public int Count { get { lock (_sync) return _gates.Count; } }

        /// <summary>Forgets the idle gates now (the look-ups also do it, once every <see cref="SweepEvery"/>).</summary>
        public void Sweep()
        {
            lock (_sync) Sweep(_time.GetTimestamp());
        }

        private void Sweep(long now)
        {
            _nextSweep = now + Stamps(SweepEvery);
            List<string>? idle = null;
            foreach (var entry in _gates)
                if (entry.Value.IsIdle(now, IdleAfter)) (idle ??= new List<string>()).Add(entry.Key);
            if (idle != null) foreach (var key in idle) _gates.Remove(key);
        }

        private long Stamps(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
    }
}
