using System.Security.Cryptography;

namespace LeadConnector.Emulator;

/// <summary>What a bearer token is.</summary>
public enum TokenKind
{
    /// <summary>A Private Integration Token scoped to one location; never expires.</summary>
    PrivateIntegration,
    /// <summary>A location OAuth access token (from /oauth/token or /oauth/locationToken); expires.</summary>
    LocationAccess,
    /// <summary>An agency (company) token; can only be exchanged at /oauth/locationToken.</summary>
    Agency,
}

/// <summary>One bearer token the emulator accepts.</summary>
public sealed record TokenEntry(string Token, TokenKind Kind, string LocationId, string? CompanyId, DateTimeOffset? ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && now >= at;
}

/// <summary>
/// The token table: bearer token -> location (or company for agency tokens). Seeded with the two PIT tenants, the
/// agency token and nothing else; <see cref="EmulatorState.AddLocation"/> and the OAuth endpoints add to it. Thread-safe.
/// </summary>
public sealed class TokenTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _agencyLocations = new(StringComparer.Ordinal);

    public TokenTable() => Reseed();

    /// <summary>Locations that exist (seeded or added).</summary>
    public IReadOnlyList<string> Locations { get { lock (_gate) return [.. _locations.Order(StringComparer.Ordinal)]; } }

    public bool LocationExists(string locationId) { lock (_gate) return _locations.Contains(locationId); }

    public TokenEntry? Find(string token) { lock (_gate) return _tokens.GetValueOrDefault(token); }

    /// <summary>Every token (copies), for diagnostics.</summary>
    public IReadOnlyList<TokenEntry> All { get { lock (_gate) return [.. _tokens.Values]; } }

    /// <summary>Registers a location; returns false when it already existed.</summary>
    internal bool AddLocation(string locationId) { lock (_gate) return _locations.Add(locationId); }

    /// <summary>Makes an added location one of the seeded agency's, so its agency token can be exchanged for it.</summary>
    internal void AddAgencyLocation(string locationId) { lock (_gate) _agencyLocations.Add(locationId); }

    /// <summary>True for the seeded company's locations and those added to the agency.</summary>
    public bool IsAgencyLocation(string locationId)
    {
        if (Seed.CompanyLocations.Contains(locationId, StringComparer.Ordinal)) return true;
        lock (_gate) return _agencyLocations.Contains(locationId);
    }

    /// <summary>Adds a token; throws when the token is already in use.</summary>
    internal void Add(TokenEntry entry)
    {
        lock (_gate)
        {
            if (!_tokens.TryAdd(entry.Token, entry))
                throw new ArgumentException($"Token '{entry.Token}' is already in use.", nameof(entry));
        }
    }

    /// <summary>Makes every OAuth access token expire now (PITs and agency tokens stay).</summary>
    internal void ExpireAccessTokens(DateTimeOffset now)
    {
        lock (_gate)
            foreach (var e in _tokens.Values.Where(e => e.Kind == TokenKind.LocationAccess).ToList())
                _tokens[e.Token] = e with { ExpiresAt = now };
    }

    internal void Reseed()
    {
        lock (_gate)
        {
            _tokens.Clear();
            _locations.Clear();
            _agencyLocations.Clear();
            foreach (var (token, location) in Seed.Tokens)
            {
                _tokens[token] = new TokenEntry(token, TokenKind.PrivateIntegration, location, Seed.CompanyId, null);
                _locations.Add(location);
            }
            _tokens[Seed.AgencyToken] = new TokenEntry(Seed.AgencyToken, TokenKind.Agency, "", Seed.CompanyId, null);
        }
    }

    /// <summary>A fresh random token with a prefix, e.g. pit-3f9c...</summary>
    internal static string NewToken(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
}

/// <summary>OAuth settings and counters: access-token lifetime, single-use refresh tokens. Thread-safe.</summary>
public sealed class OAuthState
{
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(24);

    private sealed record RefreshGrant(string LocationId, string CompanyId, string UserType);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedRefreshTokens = new(StringComparer.Ordinal);
    private TimeSpan _lifetime = DefaultAccessTokenLifetime;
    private int _refreshes, _failedRefreshes, _locationTokens;

    public OAuthState() => Reseed();

    /// <summary>Lifetime of access tokens issued from now on (default 24 h; expires_in is this in seconds).</summary>
    public TimeSpan AccessTokenLifetime
    {
        get { lock (_gate) return _lifetime; }
        set
        {
            if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), value, "The lifetime must be positive.");
            lock (_gate) _lifetime = value;
        }
    }

    /// <summary>Successful refresh_token grants.</summary>
    public int RefreshCount { get { lock (_gate) return _refreshes; } }

    /// <summary>Refused refresh_token grants (unknown, used or mismatched refresh token, bad client).</summary>
    public int FailedRefreshCount { get { lock (_gate) return _failedRefreshes; } }

    /// <summary>Location tokens issued by /oauth/locationToken.</summary>
    public int LocationTokenCount { get { lock (_gate) return _locationTokens; } }

    /// <summary>Mints a new, unused refresh token for a location (as if the app had been installed there).</summary>
    public string MintRefreshToken(string locationId, string companyId = Seed.CompanyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(locationId);
        var token = TokenTable.NewToken("rt");
        lock (_gate) _refreshTokens[token] = new RefreshGrant(locationId, companyId, "Location");
        return token;
    }

    /// <summary>True when the refresh token was issued and has not been used yet.</summary>
    public bool IsRefreshTokenValid(string refreshToken) { lock (_gate) return _refreshTokens.ContainsKey(refreshToken); }

    /// <summary>Atomically consumes a refresh token and issues its successor; null (and counted) when refused.</summary>
    internal (string LocationId, string CompanyId, string UserType, string NewRefreshToken)? Redeem(string refreshToken)
    {
        lock (_gate)
        {
            if (!_refreshTokens.Remove(refreshToken, out var grant))
            {
                _failedRefreshes++;
                return null;
            }
            _usedRefreshTokens.Add(refreshToken);
            var next = TokenTable.NewToken("rt");
            _refreshTokens[next] = grant;
            _refreshes++;
            return (grant.LocationId, grant.CompanyId, grant.UserType, next);
        }
    }

    /// <summary>True when the refresh token was valid once and has been used.</summary>
    internal bool WasUsed(string refreshToken) { lock (_gate) return _usedRefreshTokens.Contains(refreshToken); }

    internal void CountFailure() { lock (_gate) _failedRefreshes++; }

    internal void CountLocationToken() { lock (_gate) _locationTokens++; }

    internal void Reseed()
    {
        lock (_gate)
        {
            _refreshTokens.Clear();
            _usedRefreshTokens.Clear();
            _refreshTokens[Seed.AlphaRefreshToken] = new RefreshGrant(Seed.AlphaLocation, Seed.CompanyId, "Location");
            _lifetime = DefaultAccessTokenLifetime;
            _refreshes = _failedRefreshes = _locationTokens = 0;
        }
    }
}

/// <summary>How <c>GET /conversations/{id}/messages</c> shapes its body.</summary>
public enum MessageListShape
{
    /// <summary>What the live service sends: <c>{ "messages": { "lastMessageId", "nextPage", "messages": [...] } }</c>.</summary>
    Nested,
    /// <summary>What the OpenAPI documents: <c>{ "lastMessageId", "nextPage", "messages": [...] }</c>.</summary>
    Flat,
}
