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
        private DateTimeOffset? _dailyResetAt;

        private RateGate(int max, int intervalMs)
        {
            _max = max;
            _intervalMs = intervalMs;
            _limiter = Build(max, intervalMs);
        }

        public static RateGate For(string key) => Gates.GetOrAdd(key, _ => new RateGate(DefaultMax, DefaultIntervalMs));

        public int Max => Volatile.Read(ref _max);
        public int IntervalMs => Volatile.Read(ref _intervalMs);
        public DateTimeOffset? DailyResetAt { get { lock (_sync) return _dailyResetAt; } }

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

        /// <summary>Waits for a permit. Fails fast when the daily quota is known to be used up.</summary>
        public async Task WaitAsync(CancellationToken ct, Action<TimeSpan>? onLongWait)
        {
            var reset = DailyResetAt;
            if (reset is DateTimeOffset r)
            {
                if (r > DateTimeOffset.UtcNow) throw DailyLimit(r, null, null);
                lock (_sync) if (_dailyResetAt == r) _dailyResetAt = null;
            }

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
                var now = DateTimeOffset.UtcNow;
                var resetAt = retryAfter is TimeSpan ra && ra > TimeSpan.Zero ? now + ra : new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                lock (_sync) _dailyResetAt = resetAt;
            }
        }

        internal static LcException DailyLimit(DateTimeOffset resetAt, string? method, string? path)
        {
            var left = resetAt - DateTimeOffset.UtcNow;
            var inText = left.TotalHours >= 1 ? $"{left.TotalHours:0.#} h" : left.TotalMinutes >= 1 ? $"{left.TotalMinutes:0} min" : $"{Math.Max(1, left.TotalSeconds):0} s";
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0). It resets at {resetAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (in about {inText}); calls fail at once until then.",
                statusCode: 429, method: method, path: path, retryAt: resetAt);
        }

        internal static int? Header(HttpResponseHeaders headers, string name)
        {
            if (!headers.TryGetValues(name, out var values)) return null;
            var v = values.FirstOrDefault();
            return int.TryParse(v?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }
    }
}
