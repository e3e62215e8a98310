using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Client-side pacing for one location and token, shared by every runspace of the process.
    /// A token bucket (System.Threading.RateLimiting) sized from the limit the API reports
    /// (X-RateLimit-Max per X-RateLimit-Interval-Milliseconds; 100 per 10 s until told otherwise),
    /// with headroom so that requests stay under the limit even when the server's window is aligned differently.
    /// </summary>
    internal sealed class RateGate
    {
        private static readonly ConcurrentDictionary<string, RateGate> Gates = new ConcurrentDictionary<string, RateGate>();

        public const int DefaultMax = 100;
        public const int DefaultIntervalMs = 10_000;

        private readonly object _sync = new object();
        private TokenBucketRateLimiter _limiter;
        private int _max;
        private int _intervalMs;
        private long _pausedUntilTicks;      // UTC ticks; 0 = not paused

        // The daily quota block (X-RateLimit-Daily-Remaining: 0), guarded by _sync. It belongs to the gate, so every
        // Connection with the same token, host and location shares it.
        private bool _dailyBlocked;
        private DateTimeOffset? _dailyResetAt;   // the reset the server gave (Retry-After); null = unknown
        private DateTimeOffset _nextProbeAt;     // with an unknown reset: when the one probe request may go

        /// <summary>How often one request may probe a spent daily quota whose reset time is unknown.</summary>
        internal static readonly TimeSpan ProbeInterval = TimeSpan.FromMinutes(1);

        /// <summary>The clock of the daily block; tests replace it to prove the probe interval without waiting.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        private RateGate(int max, int intervalMs)
        {
            _max = max;
            _intervalMs = intervalMs;
            _limiter = Build(max, intervalMs);
        }

        public static RateGate For(string key) => Gates.GetOrAdd(key, _ => new RateGate(DefaultMax, DefaultIntervalMs));

        public int Max => Volatile.Read(ref _max);
        public int IntervalMs => Volatile.Read(ref _intervalMs);
        internal bool DailyBlocked { get { lock (_sync) return _dailyBlocked; } }

        /// <summary>How many requests may go at once: a small share of the limit.</summary>
        private static int BurstFor(int max) => Math.Max(1, max / 20);

        internal static TokenBucketRateLimiter Build(int max, int intervalMs)
        {
            // Burst a small share, refill the rest evenly, and keep a burst's worth unused:
            // in any window of the interval at most max - burst requests leave this process.
            int burst = BurstFor(max);
            int perInterval = Math.Max(1, max - 2 * burst);
            // Refill one token per step, or several per 10 ms step for high limits, so the timer never runs faster than 100 Hz.
            double stepMs = (double)intervalMs / perInterval;
            int perStep = 1;
            if (stepMs < 10)
            {
                perStep = Math.Min(burst, (int)Math.Ceiling(10 / stepMs));
                stepMs *= perStep;
            }
            var period = TimeSpan.FromMilliseconds(stepMs);
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perStep,
                ReplenishmentPeriod = period,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        /// <summary>
        /// Waits for a permit. Fails fast while the daily quota is used up: until the reset the server gave, or,
        /// when it gave none, except for one probe request a minute.
        /// </summary>
        public async Task WaitAsync(CancellationToken ct, Action<TimeSpan>? onLongWait)
        {
            CheckDaily();

            var started = DateTime.UtcNow;
            while (true)
            {
                await WaitOutPauseAsync(ct).ConfigureAwait(false);
                await AcquireAsync(ct).ConfigureAwait(false);
                // A 429 or "Remaining: 0" may have arrived while this request was queued: then the permit is not enough.
                if (PausedFor() <= TimeSpan.Zero) break;
            }
            var waited = DateTime.UtcNow - started;
            if (waited > TimeSpan.FromSeconds(1)) onLongWait?.Invoke(waited);
        }

        /// <summary>Throws DailyLimitReached while the daily block holds; lets exactly one caller through as the probe when one is due.</summary>
        private void CheckDaily()
        {
            lock (_sync)
            {
                if (!_dailyBlocked) return;
                var now = Clock();
                if (_dailyResetAt is DateTimeOffset reset)
                {
                    if (reset > now) throw DailyLimit(reset, now, null, null);
                    ClearDaily();
                    return;
                }
                if (now >= _nextProbeAt)
                {
                    // This caller is the probe. The next one is due a minute from now, whatever this one's fate.
                    _nextProbeAt = now + ProbeInterval;
                    return;
                }
                throw ProbeLimit(_nextProbeAt, now, null, null);
            }
        }

        private void ClearDaily()
        {
            _dailyBlocked = false;
            _dailyResetAt = null;
        }

        /// <summary>The DailyLimitReached error for a response that just said the daily quota is spent (after <see cref="Learn"/>).</summary>
        internal LcException DailyLimitError(string? method, string? path)
        {
            lock (_sync)
            {
                var now = Clock();
                if (!_dailyBlocked) return ProbeLimit(now + ProbeInterval, now, method, path);
                return _dailyResetAt is DateTimeOffset reset ? DailyLimit(reset, now, method, path) : ProbeLimit(_nextProbeAt, now, method, path);
            }
        }

        private TimeSpan PausedFor() =>
            new DateTime(Interlocked.Read(ref _pausedUntilTicks), DateTimeKind.Utc) - DateTime.UtcNow;

        private async Task WaitOutPauseAsync(CancellationToken ct)
        {
            var pause = PausedFor();
            if (pause > TimeSpan.Zero) await Task.Delay(pause, ct).ConfigureAwait(false);
        }

        private async Task AcquireAsync(CancellationToken ct)
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var limiter = Volatile.Read(ref _limiter);
                RateLimitLease lease;
                try
                {
                    lease = limiter.AttemptAcquire(1);
                    if (!lease.IsAcquired)
                    {
                        lease.Dispose();
                        lease = await limiter.AcquireAsync(1, ct).ConfigureAwait(false);
                    }
                }
                catch (ObjectDisposedException)
                {
                    continue; // the limit was relearned; queue on the new limiter
                }
                using (lease)
                {
                    if (lease.IsAcquired) return;
                }
                if (ReferenceEquals(limiter, Volatile.Read(ref _limiter)))
                    await Task.Delay(10, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Learns the limits from a response's headers.</summary>
        public void Learn(HttpResponseHeaders headers, int status, TimeSpan? retryAfter)
        {
            int? max = Header(headers, "X-RateLimit-Max");
            int? interval = Header(headers, "X-RateLimit-Interval-Milliseconds");
            int? remaining = Header(headers, "X-RateLimit-Remaining");
            int? daily = Header(headers, "X-RateLimit-Daily-Remaining");

            if (max is int m && m > 0 && m <= 100_000)
            {
                int iv = interval is int i && i > 0 && i <= 3_600_000 ? i : IntervalMs;
                if (m != Max || iv != IntervalMs)
                {
                    TokenBucketRateLimiter old;
                    lock (_sync)
                    {
                        old = _limiter;
                        _max = m;
                        _intervalMs = iv;
                        // Start the relearned bucket empty: the requests just sent already count in the server's window.
                        var fresh = Build(m, iv);
                        fresh.AttemptAcquire(BurstFor(m)).Dispose();
                        Volatile.Write(ref _limiter, fresh);
                    }
                    old.Dispose();
                }
            }

            if ((remaining == 0 || status == 429) && daily != 0)
            {
                // The server's window is full (perhaps another process shares the quota): hold new requests.
                var hold = retryAfter ?? TimeSpan.FromMilliseconds(interval ?? IntervalMs);
                if (hold > TimeSpan.FromMinutes(5)) hold = TimeSpan.FromMinutes(5);
                var until = DateTime.UtcNow.Add(hold).Ticks;
                long cur;
                do { cur = Interlocked.Read(ref _pausedUntilTicks); }
                while (until > cur && Interlocked.CompareExchange(ref _pausedUntilTicks, until, cur) != cur);
            }

            if (daily == 0)
            {
                lock (_sync)
                {
                    var now = Clock();
                    if (retryAfter is TimeSpan ra && ra > TimeSpan.Zero)
                    {
                        // The server said when the quota resets: fail fast until then, no probes.
                        _dailyResetAt = now + ra;
                    }
                    else
                    {
                        // No reset time: do not guess one (not midnight, not any other). Probe once a minute instead,
                        // counted from the latest answer that said the quota is still spent.
                        _nextProbeAt = now + ProbeInterval;
                        _dailyResetAt = null;
                    }
                    _dailyBlocked = true;
                }
            }
            else if (daily > 0 || (status >= 200 && status < 300))
            {
                // A response that shows quota (Daily-Remaining above 0, or any success not saying 0) lifts the block at once.
                lock (_sync) if (_dailyBlocked) ClearDaily();
            }
        }

        /// <summary>DailyLimitReached with a reset time: from the server's Retry-After (<paramref name="retryAfter"/>), else unknown (probe in a minute).</summary>
        internal static LcException DailyLimit(TimeSpan? retryAfter, DateTimeOffset now, string? method, string? path) =>
            retryAfter is TimeSpan ra && ra > TimeSpan.Zero ? DailyLimit(now + ra, now, method, path) : ProbeLimit(now + ProbeInterval, now, method, path);

        internal static LcException DailyLimit(DateTimeOffset resetAt, DateTimeOffset now, string? method, string? path)
        {
            var left = resetAt - now;
            var inText = left.TotalHours >= 1 ? $"{left.TotalHours:0.#} h" : left.TotalMinutes >= 1 ? $"{left.TotalMinutes:0} min" : $"{Math.Max(1, Math.Ceiling(left.TotalSeconds)):0} s";
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0). It resets at {resetAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (in about {inText}, as the server said in Retry-After); calls fail at once until then.",
                statusCode: 429, method: method, path: path, retryAt: resetAt);
        }

        /// <summary>DailyLimitReached when the server did not say when the quota resets: names the next probe.</summary>
        internal static LcException ProbeLimit(DateTimeOffset nextProbe, DateTimeOffset now, string? method, string? path)
        {
            var secs = Math.Max(1, Math.Ceiling((nextProbe - now).TotalSeconds));
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0) and the API did not say when it resets. " +
                $"Calls fail at once; the next probe request goes at {nextProbe.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (in about {secs:0} s), and calls go through again as soon as a response shows quota.",
                statusCode: 429, method: method, path: path, retryAt: nextProbe);
        }

        internal static int? Header(HttpResponseHeaders headers, string name)
        {
            if (!headers.TryGetValues(name, out var values)) return null;
            var v = values.FirstOrDefault();
            return int.TryParse(v?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }
    }
}
