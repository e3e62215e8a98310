namespace LeadConnector.Emulator;

/// <summary>Everything a test can observe or steer in a running emulator. Thread-safe.</summary>
public sealed class EmulatorState
{
    public EmulatorState() : this(TimeProvider.System) { }

    internal EmulatorState(TimeProvider clock)
    {
        Clock = clock;
        Limiter = new RateLimiter(RateLimit, clock);
    }

    /// <summary>Fault-injection rules.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Every API request received (control calls excluded).</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>Rate-limit settings, changeable at run time.</summary>
    public RateLimitSettings RateLimit { get; } = new();

    /// <summary>Conversations and email messages.</summary>
    public DataStore Data { get; } = new();

    internal RateLimiter Limiter { get; }

    internal TimeProvider Clock { get; }

    /// <summary>Forgets the request counts of every rate-limit window and day (settings are kept).</summary>
    public void ResetRateLimitCounters() => Limiter.Reset();

    /// <summary>Reseeds the data, clears faults (restarting the probability sequence) and the request log, resets the
    /// rate-limit counters and restores the default limits.</summary>
    public void Reset()
    {
        Data.Reseed();
        Faults.Clear();
        Requests.Clear();
        RateLimit.RestoreDefaults();
        Limiter.Reset();
    }
}
