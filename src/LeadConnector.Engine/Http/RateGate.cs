using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// Paces to the limit the API reports (X-RateLimit-Max per X-RateLimit-Interval-Milliseconds; 100 per 10 s until
    /// told otherwise), with no share of the window kept in reserve:
    /// <list type="bullet">
    /// <item>requests leave evenly spaced, one every interval/max;</item>
    /// <item>a sliding log of the last max send times lets no more than max leave in any interval (plus a small
    /// margin for the time a request takes to reach the server), so whatever way the server's fixed window is aligned,
    /// this process alone never fills it past the limit;</item>
    /// <item>what the server says overrides the plan: a 429, or X-RateLimit-Remaining: 0 when this process's own
    /// requests do not explain it (another client shares the quota), holds new requests (Retry-After, else an interval).</item>
    /// </list>
    /// Waiters queue first come, first served (a System.Threading.RateLimiting ConcurrencyLimiter of one is the turnstile).
    /// </summary>
    internal sealed class RateGate
    {
        private static readonly ConcurrentDictionary<string, RateGate> Gates = new ConcurrentDictionary<string, RateGate>();

        public const int DefaultMax = 100;
        public const int DefaultIntervalMs = 10_000;

        private readonly object _sync = new object();
        private readonly ConcurrencyLimiter _turnstile = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = 1,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        // The send times (Stopwatch ticks) of the latest requests, at most _max of them, oldest first; guarded by _sync.
        private readonly Queue<long> _sent = new Queue<long>();
        private long _lastSent = long.MinValue / 2;
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
        }

        public static RateGate For(string key) => Gates.GetOrAdd(key, _ => new RateGate(DefaultMax, DefaultIntervalMs));

        public int Max => Volatile.Read(ref _max);
        public int IntervalMs => Volatile.Read(ref _intervalMs);
        internal bool DailyBlocked { get { lock (_sync) return _dailyBlocked; } }

        /// <summary>
        /// The margin added to the interval of the sliding log: the spread in how long requests take to reach the server
        /// (1/40 of the interval, between 50 and 250 ms). It is the only share of the limit left unused: 0.975 at 20 per 2 s.
        /// </summary>
        internal static long MarginTicks(int intervalMs) =>
            TimeSpan.FromMilliseconds(Math.Min(250, Math.Max(50, intervalMs / 40.0))).Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;

        private static long MsToTicks(double ms) => (long)(ms * Stopwatch.Frequency / 1000.0);

        /// <summary>
        /// Waits for a permit. Fails fast while the daily quota is used up: until the reset the server gave, or,
        /// when it gave none, except for one probe request a minute.
        /// </summary>
        public async Task WaitAsync(LcCall call)
        {
            var ct = call.CancellationToken;
            CheckDaily();

            var started = Stopwatch.GetTimestamp();
            RateLimitLease lease = _turnstile.AttemptAcquire(1);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                lease = await _turnstile.AcquireAsync(1, ct).ConfigureAwait(false);
            }
            using (lease)
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    // A hold (429, Remaining: 0) or a relearned limit may arrive while this request waits: recompute each time.
                    var pause = PausedFor();
                    if (pause > TimeSpan.Zero)
                    {
                        await Task.Delay(pause, ct).ConfigureAwait(false);
                        continue;
                    }
                    long wait;
                    lock (_sync)
                    {
                        var now = Stopwatch.GetTimestamp();
                        var at = NextSlot();
                        if (at <= now)
                        {
                            Record(now);
                            break;
                        }
                        wait = at - now;
                    }
                    await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), ct)
                        .ConfigureAwait(false);
                }
            }
            var waited = TimeSpan.FromTicks((Stopwatch.GetTimestamp() - started) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            if (waited > TimeSpan.FromSeconds(1) && call.HasTrace)
                call.Verbose($"Waiting {waited.TotalSeconds:0.0} s to stay under the API rate limit ({Max} requests per {IntervalMs / 1000.0:0.#} s).");
        }

        /// <summary>The earliest Stopwatch time the next request may leave (under _sync).</summary>
        private long NextSlot()
        {
            var gap = MsToTicks((double)_intervalMs / _max);
            var at = _lastSent + gap;
            if (_sent.Count >= _max)
            {
                var windowFree = _sent.Peek() + MsToTicks(_intervalMs) + MarginTicks(_intervalMs);
                if (windowFree > at) at = windowFree;
            }
            return at;
        }

        private void Record(long now)
        {
            _lastSent = now;
            _sent.Enqueue(now);
            while (_sent.Count > _max) _sent.Dequeue();
        }

        /// <summary>How many of this process's requests left within the last interval (under _sync).</summary>
        private int SentWithinInterval(long now)
        {
            var since = now - MsToTicks(_intervalMs) - MarginTicks(_intervalMs);
            int n = 0;
            foreach (var t in _sent) if (t >= since) n++;
            return n;
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

        /// <summary>Learns the limits from a response's headers.</summary>
        public void Learn(HttpResponseHeaders headers, int status, TimeSpan? retryAfter)
        {
            int? max = Header(headers, "X-RateLimit-Max");
            int? interval = Header(headers, "X-RateLimit-Interval-Milliseconds");
            int? remaining = Header(headers, "X-RateLimit-Remaining");
            int? daily = Header(headers, "X-RateLimit-Daily-Remaining");

            bool ours = false;
            lock (_sync)
            {
                if (max is int m && m > 0 && m <= 100_000)
                {
                    int iv = interval is int i && i > 0 && i <= 3_600_000 ? i : _intervalMs;
                    // The log keeps the requests already sent: they count in the server's window under the new limit too.
                    Volatile.Write(ref _max, m);
                    Volatile.Write(ref _intervalMs, iv);
                    while (_sent.Count > m) _sent.Dequeue();
                }
                // "Remaining: 0" that this process's own requests explain is the plan working (the sliding log already
                // holds the next request until the window has passed); anything else means someone else shares the quota.
                if (remaining == 0 && status != 429) ours = SentWithinInterval(Stopwatch.GetTimestamp()) >= _max;
            }

            if ((status == 429 || (remaining == 0 && !ours)) && daily != 0)
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
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0). It resets at {IsoDate.Shown(resetAt)} (in about {inText}, as the server said in Retry-After); calls fail at once until then.",
                statusCode: 429, method: method, path: path, retryAt: resetAt);
        }

        /// <summary>DailyLimitReached when the server did not say when the quota resets: names the next probe.</summary>
        internal static LcException ProbeLimit(DateTimeOffset nextProbe, DateTimeOffset now, string? method, string? path)
        {
            var secs = Math.Max(1, Math.Ceiling((nextProbe - now).TotalSeconds));
            return new LcException(LcErrorKind.DailyLimitReached,
                $"The daily API quota for this location and token is used up (X-RateLimit-Daily-Remaining: 0) and the API did not say when it resets. " +
                $"Calls fail at once; the next probe request goes at {IsoDate.Shown(nextProbe)} (in about {secs:0} s), and calls go through again as soon as a response shows quota.",
                statusCode: 429, method: method, path: path, retryAt: nextProbe);
        }

        internal static int? Header(HttpResponseHeaders headers, string name)
        {
#if NET8_0_OR_GREATER
            // Read on every response: the non-validated view hands back the stored text without allocating.
            if (!headers.NonValidated.TryGetValues(name, out var values)) return null;
            string? v = null;
            foreach (var value in values)
            {
                v = value;
                break;
            }
#else
            if (!headers.TryGetValues(name, out var values)) return null;
            var v = values.FirstOrDefault();
#endif
            return int.TryParse(v?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }
    }
}
