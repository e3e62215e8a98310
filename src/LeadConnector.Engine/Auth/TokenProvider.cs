using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Where a connection's bearer token comes from. The client asks for the token before each attempt, and on a 401
    /// asks once for a renewed one. Every secret the provider sees is registered with its <see cref="Redactor"/>, so no
    /// message, trace or error can carry it.
    /// </summary>
    internal abstract class TokenProvider
    {
        protected TokenProvider(Redactor redactor) => Redactor = redactor;

        public abstract TokenKind Kind { get; }

        /// <summary>A stable, non-reversible name for pacing keys: the same for every token the provider hands out.</summary>
        public abstract string Identity { get; }

        public Redactor Redactor { get; }

        /// <summary>When the current access token expires, when known.</summary>
        public virtual DateTimeOffset? ExpiresAt => null;

        /// <summary>When the access token was last obtained from a token endpoint.</summary>
        public virtual DateTimeOffset? RefreshedAt => null;

        /// <summary>True when a rejected (401) token can be renewed.</summary>
        public virtual bool CanRenew => false;

        /// <summary>The access token to send now (renewed first when it is about to expire).</summary>
        public abstract ValueTask<string> GetAsync(LcCall call);

        /// <summary>After a 401 for <paramref name="rejected"/>: renews it, unless another caller already has.</summary>
        public virtual Task RenewAsync(string rejected, LcCall call) => Task.CompletedTask;

        /// <summary>Never the token.</summary>
        public override string ToString() => "***";

        internal static string Fingerprint(string value)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(value));
            return BitConverter.ToString(hash, 0, 8).Replace("-", "").ToLowerInvariant();
        }
    }

    /// <summary>A token that never changes: a Private Integration Token, or an access token given as is.</summary>
    internal sealed class StaticTokenProvider : TokenProvider
    {
        private readonly AccessToken _token;

        public StaticTokenProvider(AccessToken token) : base(new Redactor(token.Reveal())) => _token = token;

        public override TokenKind Kind => _token.Kind;
        public override string Identity => _token.Fingerprint;
        public override ValueTask<string> GetAsync(LcCall call) => new ValueTask<string>(_token.Reveal());
    }

    /// <summary>What a token endpoint answered.</summary>
    internal sealed class TokenGrant
    {
        public string AccessToken = "";
        public TimeSpan Lifetime;
        public string? RefreshToken;
        public string? LocationId;
        public string? CompanyId;
        public string? UserType;

        internal static TokenGrant Read(JsonElement body, string path)
        {
            var access = JsonRead.String(body, "access_token");
            if (string.IsNullOrEmpty(access))
                throw new LcException(LcErrorKind.InvalidResponse, $"The token endpoint /{path} answered without an access_token.", method: "POST", path: "/" + path);
            var seconds = JsonRead.Long(body, "expires_in");
            return new TokenGrant
            {
                AccessToken = access!,
                // No lifetime given: the contract's "about 24 h" is not assumed; renew after an hour, or on a 401.
                Lifetime = seconds is long s && s > 0 ? TimeSpan.FromSeconds(Math.Min(s, 400L * 24 * 3600)) : TimeSpan.FromHours(1),
                RefreshToken = JsonRead.String(body, "refresh_token"),
                LocationId = JsonRead.String(body, "locationId"),
                CompanyId = JsonRead.String(body, "companyId"),
                UserType = JsonRead.String(body, "userType"),
            };
        }
    }

    /// <summary>
    /// A token that expires and is renewed at a token endpoint. Renewal happens shortly before expiry, or once after a
    /// 401, and never twice at once: concurrent callers (requests, runspaces) wait for the one renewal in progress and
    /// then share its token.
    /// </summary>
    internal abstract class RenewingTokenProvider : TokenProvider
    {
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private volatile TokenState? _state;

        protected RenewingTokenProvider(Redactor redactor) : base(redactor) { }

        private sealed class TokenState
        {
            public TokenState(string token, DateTimeOffset obtained, TimeSpan lifetime)
            {
                Token = token;
                Obtained = obtained;
                ExpiresAt = obtained + lifetime;
                // Renew a tenth of the lifetime early, at most 5 minutes early: soon enough, never constantly.
                var early = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, TimeSpan.FromMinutes(5).Ticks));
                RenewAt = ExpiresAt - early;
            }

            public string Token { get; }
            public DateTimeOffset Obtained { get; }
            public DateTimeOffset ExpiresAt { get; }
            public DateTimeOffset RenewAt { get; }
        }

        /// <summary>The client that calls the token endpoint (the connection's own, set once it exists).</summary>
        internal LcClient? Client { get; set; }

        /// <summary>The clock; tests replace it.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        public override bool CanRenew => true;
        public override DateTimeOffset? ExpiresAt => _state?.ExpiresAt;
        public override DateTimeOffset? RefreshedAt => _state?.Obtained;

        /// <summary>How many times a token was obtained (for tests and Get-LcConnection's story).</summary>
        internal int Renewals;

        public override async ValueTask<string> GetAsync(LcCall call)
        {
            var state = _state;
            if (state != null && Clock() < state.RenewAt) return state.Token;
            await RenewIfAsync(s => s == null || Clock() >= s.RenewAt, call).ConfigureAwait(false);
            return _state!.Token;
        }

        public override Task RenewAsync(string rejected, LcCall call) =>
            RenewIfAsync(s => s == null || string.Equals(s.Token, rejected, StringComparison.Ordinal) || Clock() >= s.RenewAt, call);

        private async Task RenewIfAsync(Func<TokenState?, bool> needed, LcCall call)
        {
            await _renewal.WaitAsync(call.CancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed while this one waited: then its token is used.
                if (!needed(_state)) return;
                var client = Client ?? throw new InvalidOperationException("The token provider has no client.");
                var started = Clock();
                var grant = await ObtainAsync(client, call).ConfigureAwait(false);
                Redactor.Add(grant.AccessToken);
                Interlocked.Increment(ref Renewals);
                _state = new TokenState(grant.AccessToken, started, grant.Lifetime);
                call.Verbose($"Obtained a new access token; it expires at {_state.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z.");
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>Calls the token endpoint. Secrets in the answer must be registered with the redactor before anything can print them.</summary>
        protected abstract Task<TokenGrant> ObtainAsync(LcClient client, LcCall call);

        internal static SecureString Secure(string value)
        {
            var s = new SecureString();
            foreach (var c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }
    }

    /// <summary>Data of <see cref="Connection.RefreshTokenRotated"/>: the new refresh token, which the old one no longer is.</summary>
    public sealed class RefreshTokenRotatedEventArgs : EventArgs
    {
        internal RefreshTokenRotatedEventArgs(SecureString refreshToken, DateTimeOffset rotatedAt, string? locationId)
        {
            RefreshToken = refreshToken;
            RotatedAt = rotatedAt;
            LocationId = locationId;
        }

        /// <summary>The new refresh token. Store it: the previous one is dead.</summary>
        public SecureString RefreshToken { get; }
        public DateTimeOffset RotatedAt { get; }
        public string? LocationId { get; }

        public override string ToString() => $"Refresh token rotated at {RotatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
    }

    /// <summary>
    /// A location's OAuth access token, renewed at POST /oauth/token with grant_type=refresh_token. Refresh tokens
    /// rotate: each renewal returns a new one and kills the old, so the new one is saved (file, then event) before the
    /// access token is used.
    /// </summary>
    internal sealed class OAuthRefreshProvider : RenewingTokenProvider
    {
        internal const string TokenPath = "oauth/token";

        private readonly string _clientId;
        private readonly string _clientSecret;
        private readonly RefreshTokenStore? _store;
        private string _refreshToken;

        public OAuthRefreshProvider(string clientId, string clientSecret, string refreshToken, RefreshTokenStore? store)
            : base(new Redactor(clientSecret, refreshToken))
        {
            _clientId = clientId;
            _clientSecret = clientSecret;
            _refreshToken = refreshToken;
            _store = store;
            Identity = "oauth-" + Fingerprint(clientId);
        }

        public override TokenKind Kind => TokenKind.OAuthRefreshToken;

        // Fixed at creation: pacing keys must not change when the tokens rotate.
        public override string Identity { get; }

        /// <summary>Raised after each rotation, once the new refresh token is saved.</summary>
        internal Action<RefreshTokenRotatedEventArgs>? Rotated { get; set; }

        /// <summary>The location the last grant named.</summary>
        internal string? GrantedLocationId { get; private set; }

        protected override async Task<TokenGrant> ObtainAsync(LcClient client, LcCall call)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("client_id", _clientId),
                new KeyValuePair<string, string>("client_secret", _clientSecret),
                new KeyValuePair<string, string>("grant_type", "refresh_token"),
                new KeyValuePair<string, string>("refresh_token", _refreshToken),
                new KeyValuePair<string, string>("user_type", "Location"),
            };
            JsonElement body;
            try
            {
                body = await client.SendTokenRequestAsync(TokenPath, form, bearer: null, call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401 || ex.StatusCode == 403)
            {
                // invalid_grant (a refresh token used already, or revoked) or invalid_client: no retry can help.
                throw new LcException(LcErrorKind.Unauthorized,
                    $"The OAuth token endpoint refused to renew the access token: {ex.Message} A refresh token works once: connect again with the newest one (-RefreshTokenPath keeps it for you), and check the client id and secret.",
                    ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path);
            }
            var grant = TokenGrant.Read(body, TokenPath);
            if (string.IsNullOrEmpty(grant.RefreshToken))
                throw new LcException(LcErrorKind.InvalidResponse, "The token endpoint /oauth/token answered without a refresh_token.", method: "POST", path: "/" + TokenPath);
            Redactor.Add(grant.AccessToken);
            Redactor.Add(grant.RefreshToken);
            // The old refresh token is dead now: the new one is saved before anything else can fail.
            _store?.Save(grant.RefreshToken!);
            _refreshToken = grant.RefreshToken!;
            GrantedLocationId = grant.LocationId;
            call.Verbose(_store == null
                ? "The refresh token rotated: the new one is held in this session (see the RefreshTokenRotated event)."
                : $"The refresh token rotated: the new one is saved in {_store.Path}.");
            Rotated?.Invoke(new RefreshTokenRotatedEventArgs(Secure(grant.RefreshToken!), DateTimeOffset.UtcNow, grant.LocationId));
            return grant;
        }
    }

    /// <summary>
    /// A location token obtained from an agency (company) token at POST /oauth/locationToken, and obtained again when
    /// it nears expiry.
    /// </summary>
    internal sealed class AgencyExchangeProvider : RenewingTokenProvider
    {
        internal const string TokenPath = "oauth/locationToken";

        private readonly AccessToken _agencyToken;
        private readonly string _companyId;
        private readonly string _locationId;

        public AgencyExchangeProvider(AccessToken agencyToken, string companyId, string locationId)
            : base(new Redactor(agencyToken.Reveal()))
        {
            _agencyToken = agencyToken;
            _companyId = companyId;
            _locationId = locationId;
            Identity = "agency-" + agencyToken.Fingerprint + "-" + locationId;
        }

        public override TokenKind Kind => TokenKind.AgencyExchange;
        public override string Identity { get; }

        protected override async Task<TokenGrant> ObtainAsync(LcClient client, LcCall call)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("companyId", _companyId),
                new KeyValuePair<string, string>("locationId", _locationId),
            };
            JsonElement body;
            try
            {
                body = await client.SendTokenRequestAsync(TokenPath, form, _agencyToken.Reveal(), call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401 || ex.StatusCode == 403)
            {
                throw new LcException(LcErrorKind.Unauthorized,
                    $"The agency token could not be exchanged for a token of location {_locationId}: {ex.Message} Check the agency token, -CompanyId and -LocationId.",
                    ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path);
            }
            var grant = TokenGrant.Read(body, TokenPath);
            Redactor.Add(grant.AccessToken);
            Redactor.Add(grant.RefreshToken);
            return grant;
        }
    }
}
