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

    /// <summary>Bearer tokens and the locations they are scoped to (the seeded tenants plus any added).</summary>
    public TokenTable Tokens { get; } = new();

    /// <summary>OAuth refresh tokens, access-token lifetime and counters.</summary>
    public OAuthState OAuth { get; } = new();

    private volatile int _messageListShape = (int)MessageListShape.Nested;

    /// <summary>Body shape of the messages list; default <see cref="MessageListShape.Nested"/> (what the live service sends).</summary>
    public MessageListShape MessageListShape
    {
        get => (MessageListShape)_messageListShape;
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown message list shape.");
            _messageListShape = (int)value;
        }
    }

    /// <summary>
    /// Adds a tenant: a location (created when new) and a PIT scoped to it, so a test gets rate-limit counters of its own.
    /// Seeds <paramref name="conversations"/> conversations (with contacts, messages and unique lastMessageDate) in it.
    /// Returns the token (a generated <c>pit-...</c> one when <paramref name="token"/> is null). Reset removes the tenant.
    /// </summary>
    /// <exception cref="ArgumentException">Empty location id, a token already in use, or a negative count.</exception>
    /// <param name="agency">Also a location of the seeded agency: its agency token can be exchanged for a token of it.</param>
    public string AddLocation(string locationId, string? token = null, int conversations = 0, bool agency = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(locationId);
        if (token is not null && string.IsNullOrWhiteSpace(token)) throw new ArgumentException("The token must not be empty.", nameof(token));
        if (conversations is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(conversations), conversations, "Conversations must be within 0..100000.");
        if (locationId.StartsWith("company:", StringComparison.Ordinal)) throw new ArgumentException("Invalid location id.", nameof(locationId));
        token ??= TokenTable.NewToken("pit");
        Tokens.Add(new TokenEntry(token, TokenKind.PrivateIntegration, locationId, null, null));
        Tokens.AddLocation(locationId);
        if (agency) Tokens.AddAgencyLocation(locationId);
        if (conversations > 0) Data.SeedLocation(locationId, conversations);
        return token;
    }

    internal RateLimiter Limiter { get; }

    internal TimeProvider Clock { get; }

    /// <summary>Forgets the request counts of every rate-limit window and day (settings are kept).</summary>
    public void ResetRateLimitCounters() => Limiter.Reset();

    /// <summary>Reseeds the data, clears faults (restarting the probability sequence) and the request log, resets the
    /// rate-limit counters and restores the default limits, the seeded tenants only, fresh OAuth state and the nested
    /// message-list shape.</summary>
    public void Reset()
    {
        Data.Reseed();
        Tokens.Reseed();
        OAuth.Reseed();
        MessageListShape = MessageListShape.Nested;
        Faults.Clear();
        Requests.Clear();
        RateLimit.RestoreDefaults();
        Limiter.Reset();
    }
}
