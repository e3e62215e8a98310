using System;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The daily quota of one gate (X-RateLimit-Daily-Remaining), shared by every connection with the same token, host
    /// and location, and the one home of the DailyLimitReached error's text. Once an answer says the quota is spent,
    /// calls fail fast: until the reset the server gave (Retry-After), or, when it gave none, except for one probe
    /// request a minute. Any answer that shows quota lifts the block.
    /// </summary>
    internal sealed class DailyQuota
    {
        /// <summary>How often one request may probe a spent daily quota whose reset time is unknown.</summary>
        internal static readonly TimeSpan ProbeInterval = TimeSpan.FromMinutes(1);

        private readonly object _sync = new object();
        private readonly TimeProvider _time;
        private bool _blocked;
        private DateTimeOffset? _resetAt;   // the reset the server gave (Retry-After); null = unknown
        private DateTimeOffset _nextProbeAt; // with an unknown reset: when the one probe request may go

        public DailyQuota(TimeProvider time) => _time = time;

        /// <summary>True while the quota is known to be spent.</summary>
        public bool Blocked { get { lock (_sync) return _blocked; } }

        /// <summary>Throws DailyLimitReached while the block holds; lets exactly one caller through as the probe when one is due.</summary>
        public void Check()
        {
            lock (_sync)
            {
                if (!_blocked) return;
                var now = _time.GetUtcNow();
                if (_resetAt is DateTimeOffset reset)
                {
                    if (reset > now) throw ResetsAt(reset, now, null, null);
                    Clear();
                    return;
                }
                if (now >= _nextProbeAt)
                {
                    // This caller is the probe. The next one is due a minute from now, whatever this one's fate.
                    _nextProbeAt = now + ProbeInterval;
                    return;
                }
                throw ProbeAt(_nextProbeAt, now, null, null);
            }
        }

        /// <summary>An answer said the quota is spent: block, until <paramref name="retryAfter"/> when the server gave it.</summary>
        public void Spent(TimeSpan? retryAfter)
        {
            lock (_sync)
            {
                var now = _time.GetUtcNow();
                if (retryAfter is TimeSpan ra && ra > TimeSpan.Zero)
                {
                    // The server said when the quota resets: fail fast until then, no probes.
                    _resetAt = now + ra;
                }
                else
                {
                    // No reset time: do not guess one (not midnight, not any other). Probe once a minute instead,
                    // counted from the latest answer that said the quota is still spent.
                    _nextProbeAt = now + ProbeInterval;
                    _resetAt = null;
                }
                _blocked = true;
            }
        }

        /// <summary>An answer showed quota: the block, if any, lifts at once.</summary>
        public void Available()
        {
            lock (_sync) if (_blocked) Clear();
        }

        private void Clear()
        {
            _blocked = false;
            _resetAt = null;
        }

        /// <summary>The DailyLimitReached error for an answer that just said the quota is spent (after <see cref="Spent"/>).</summary>
        public LcException Error(string? method, string? path)
        {
            lock (_sync)
            {
                var now = _time.GetUtcNow();
                if (!_blocked) return ProbeAt(now + ProbeInterval, now, method, path);
                return _resetAt is DateTimeOffset reset ? ResetsAt(reset, now, method, path) : ProbeAt(_nextProbeAt, now, method, path);
            }
        }

        /// <summary>
        /// The DailyLimitReached error without a gate (pacing off): the reset from the server's Retry-After
        /// (<paramref name="retryAfter"/>), else unknown (probe in a minute).
        /// </summary>
        public static LcException Error(TimeSpan? retryAfter, DateTimeOffset now, string? method, string? path) =>
            retryAfter is TimeSpan ra && ra > TimeSpan.Zero ? ResetsAt(now + ra, now, method, path) : ProbeAt(now + ProbeInterval, now, method, path);

        private static LcException ResetsAt(DateTimeOffset resetAt, DateTimeOffset now, string? method, string? path)
        {
            var left = resetAt - now;
            var inText = left.TotalHours >= 1 ? $"{left.TotalHours:0.#} h" : left.TotalMinutes >= 1 ? $"{left.TotalMinutes:0} min" : $"{Math.Max(1, Math.Ceiling(left.TotalSeconds)):0} s";
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0). It resets at {IsoDate.Shown(resetAt)} (in about {inText}, as the server said in Retry-After); calls fail at once until then.",
                statusCode: 429, method: method, path: path, retryAt: resetAt);
        }

        /// <summary>When the server did not say when the quota resets: names the next probe.</summary>
        private static LcException ProbeAt(DateTimeOffset nextProbe, DateTimeOffset now, string? method, string? path)
        {
            var secs = Math.Max(1, Math.Ceiling((nextProbe - now).TotalSeconds));
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0) and the API did not say when it resets. " +
                $"Calls fail at once; the next probe request goes at {IsoDate.Shown(nextProbe)} (in about {secs:0} s), and calls go through again as soon as a response shows quota.",
                statusCode: 429, method: method, path: path, retryAt: nextProbe);
        }
    }
}
