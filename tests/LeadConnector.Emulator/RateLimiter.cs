using System.Globalization;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator;

/// <summary>How the emulator counts a (location, token)'s requests against <see cref="RateLimitSettings.Max"/>.</summary>
public enum RateLimitWindow
{
    /// <summary>A window of IntervalMs that starts at the first request after the previous window ended.</summary>
    Fixed,

    /// <summary>Any IntervalMs: at most Max accepted requests arrived in the IntervalMs before each request.</summary>
    Sliding,
}

/// <summary>Rate-limit settings; thread-safe and changeable while the emulator runs.</summary>
public sealed class RateLimitSettings
{
    public const int DefaultMax = 100;
    public const int DefaultIntervalMs = 10_000;
    public const int DefaultDailyLimit = 200_000;

    private readonly Lock _gate = new();
    private int _max = DefaultMax;
    private int _intervalMs = DefaultIntervalMs;
    private int _dailyLimit = DefaultDailyLimit;
    private int? _dailyRemainingOverride;
    private bool _sendHeaders = true;
    private bool _sendRetryAfter;
    private RateLimitWindow _window = RateLimitWindow.Fixed;
    private int _latencyMs;

    /// <summary>Requests allowed per window, per (location, token). Default 100.</summary>
    public int Max { get { lock (_gate) return _max; } set { ArgumentOutOfRangeException.ThrowIfNegative(value); lock (_gate) _max = value; } }

    /// <summary>Fixed window length in milliseconds. Default 10000.</summary>
    public int IntervalMs { get { lock (_gate) return _intervalMs; } set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 1); lock (_gate) _intervalMs = value; } }

    /// <summary>Requests allowed per UTC day, per (location, token). Default 200000.</summary>
    public int DailyLimit { get { lock (_gate) return _dailyLimit; } set { ArgumentOutOfRangeException.ThrowIfNegative(value); lock (_gate) _dailyLimit = value; } }

    /// <summary>When set, the daily remaining value is forced to this (0 = daily limit reached).</summary>
    public int? DailyRemainingOverride { get { lock (_gate) return _dailyRemainingOverride; } set { if (value < 0) throw new ArgumentOutOfRangeException(nameof(value)); lock (_gate) _dailyRemainingOverride = value; } }

    /// <summary>Send the X-RateLimit-* headers on every API response. Default true.</summary>
    public bool SendHeaders { get { lock (_gate) return _sendHeaders; } set { lock (_gate) _sendHeaders = value; } }

    /// <summary>Send Retry-After (seconds, rounded up) on 429 responses. Default false (the API does not document it).</summary>
    public bool SendRetryAfter { get { lock (_gate) return _sendRetryAfter; } set { lock (_gate) _sendRetryAfter = value; } }

    /// <summary>How requests are counted: a fixed window (default) or a sliding one.</summary>
    public RateLimitWindow Window { get { lock (_gate) return _window; } set { if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value)); lock (_gate) _window = value; } }

    /// <summary>
    /// The network's round trip, in milliseconds, for every API and token request (default 0): half of it before the
    /// request is counted (on its way to the server), half after (the answer on its way back).
    /// </summary>
    public int LatencyMs { get { lock (_gate) return _latencyMs; } set { ArgumentOutOfRangeException.ThrowIfNegative(value); lock (_gate) _latencyMs = value; } }

    public void RestoreDefaults()
    {
        lock (_gate)
        {
            _window = RateLimitWindow.Fixed;
            _latencyMs = 0;
            _max = DefaultMax;
            _intervalMs = DefaultIntervalMs;
            _dailyLimit = DefaultDailyLimit;
            _dailyRemainingOverride = null;
            _sendHeaders = true;
            _sendRetryAfter = false;
        }
    }

    internal Values Read()
    {
        lock (_gate) return new Values(_max, _intervalMs, _dailyLimit, _dailyRemainingOverride, _sendHeaders, _sendRetryAfter, _window);
    }

    internal readonly record struct Values(int Max, int IntervalMs, int DailyLimit, int? DailyRemainingOverride, bool SendHeaders, bool SendRetryAfter,
        RateLimitWindow Window = RateLimitWindow.Fixed);
}

/// <summary>The outcome of counting one request.</summary>
internal readonly record struct RateLimitDecision(
    bool Allowed, bool DailyExhausted, int Max, int Remaining, int IntervalMs, int DailyLimit, int DailyRemaining,
    TimeSpan RetryAfter, bool SendHeaders, bool SendRetryAfter);

/// <summary>Fixed- or sliding-window counters per (location, token), plus a per-UTC-day counter.</summary>
internal sealed class RateLimiter(RateLimitSettings settings, TimeProvider clock)
{
    private sealed class Counter
    {
        public DateTimeOffset WindowStart;
        public int Count;
        public Queue<DateTimeOffset>? Accepted; // the sliding window's accepted arrivals, oldest first
        public DateOnly Day;
        public int DailyCount;
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Location, string Token), Counter> _counters = [];

    public void Reset()
    {
        lock (_gate) _counters.Clear();
    }

    /// <summary>Counts a request when it is allowed; refused requests are not counted.</summary>
    public RateLimitDecision Acquire(ApiCaller caller) => Evaluate(caller, consume: true);

    /// <summary>The current state for a caller (or fresh defaults for an unknown one), without counting.</summary>
    public RateLimitDecision Peek(ApiCaller? caller) =>
        caller is null ? Fresh(settings.Read()) : Evaluate(caller, consume: false);

    private RateLimitDecision Evaluate(ApiCaller caller, bool consume)
    {
        var s = settings.Read();
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_counters.TryGetValue((caller.LocationId, caller.Token), out var c))
                _counters[(caller.LocationId, caller.Token)] = c = new Counter { WindowStart = now, Day = DateOnly.FromDateTime(now.UtcDateTime) };
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (c.Day != today) { c.Day = today; c.DailyCount = 0; }
            var interval = TimeSpan.FromMilliseconds(s.IntervalMs);
            if (s.Window == RateLimitWindow.Sliding)
            {
                // Count what arrived (and was accepted) in the interval before now; the window "starts" at the oldest.
                var q = c.Accepted ??= new Queue<DateTimeOffset>();
                while (q.Count > 0 && now - q.Peek() >= interval) q.Dequeue();
                while (q.Count > Math.Max(s.Max, 0)) q.Dequeue(); // a lowered Max
                c.Count = q.Count;
                c.WindowStart = q.Count > 0 ? q.Peek() : now;
            }
            else
            {
                c.Accepted = null;
                if (now - c.WindowStart >= interval) { c.WindowStart = now; c.Count = 0; }
            }

            var untilWindowReset = c.WindowStart.AddMilliseconds(s.IntervalMs) - now;
            var dailyRemaining = s.DailyRemainingOverride ?? s.DailyLimit - c.DailyCount;
            if (dailyRemaining <= 0)
            {
                var untilMidnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now;
                return new(false, true, s.Max, Math.Max(0, s.Max - c.Count), s.IntervalMs, s.DailyLimit, 0, untilMidnight, s.SendHeaders, s.SendRetryAfter);
            }
            if (c.Count >= s.Max)
                return new(false, false, s.Max, 0, s.IntervalMs, s.DailyLimit, dailyRemaining, untilWindowReset, s.SendHeaders, s.SendRetryAfter);
            if (consume)
            {
                c.Count++;
                c.DailyCount++;
                c.Accepted?.Enqueue(now);
                dailyRemaining = s.DailyRemainingOverride ?? s.DailyLimit - c.DailyCount;
            }
            return new(true, false, s.Max, s.Max - c.Count, s.IntervalMs, s.DailyLimit, Math.Max(0, dailyRemaining), untilWindowReset, s.SendHeaders, s.SendRetryAfter);
        }
    }

    private static RateLimitDecision Fresh(RateLimitSettings.Values s) =>
        new(true, false, s.Max, s.Max, s.IntervalMs, s.DailyLimit, s.DailyRemainingOverride ?? s.DailyLimit,
            TimeSpan.FromMilliseconds(s.IntervalMs), s.SendHeaders, s.SendRetryAfter);

    /// <summary>Writes the X-RateLimit-* headers (when enabled) for a decision.</summary>
    public static void WriteHeaders(HttpResponse response, RateLimitDecision d)
    {
        if (!d.SendHeaders) return;
        response.Headers["X-RateLimit-Max"] = Str(d.Max);
        response.Headers["X-RateLimit-Remaining"] = Str(d.Remaining);
        response.Headers["X-RateLimit-Interval-Milliseconds"] = Str(d.IntervalMs);
        response.Headers["X-RateLimit-Limit-Daily"] = Str(d.DailyLimit);
        response.Headers["X-RateLimit-Daily-Remaining"] = Str(d.DailyRemaining);
    }

    /// <summary>
    /// Writes a 429 for a refused (or forced) decision: headers with Remaining 0 (and Daily-Remaining 0 for the
    /// daily limit), Retry-After when enabled, and the documented JSON body.
    /// </summary>
    /// <param name="overrides">Headers set after the computed ones (a fault rule's Headers); they win.</param>
    public static Task WriteTooManyRequestsAsync(HttpContext context, RateLimitDecision d,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        WriteHeaders(context.Response, d with { Remaining = 0 });
        if (d.SendRetryAfter)
            context.Response.Headers.RetryAfter = Str((int)Math.Max(1, Math.Ceiling(d.RetryAfter.TotalSeconds)));
        var daily = d.DailyExhausted;
        if (overrides is not null)
        {
            foreach (var (name, value) in overrides) context.Response.Headers[name] = value;
            // A rule that says the daily quota is spent gets the daily message too.
            if (overrides.FirstOrDefault(h => h.Key.Equals("X-RateLimit-Daily-Remaining", StringComparison.OrdinalIgnoreCase)).Value is "0")
                daily = true;
        }
        var message = daily ? ApiErrors.DailyLimitMessage : ApiErrors.TooManyRequestsMessage;
        return ApiErrors.TooManyRequests(message).ExecuteAsync(context);
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
