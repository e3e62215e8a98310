using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security;
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
            };
        }
    }

    /// <summary>
    /// A token that expires and is renewed at a token endpoint. Renewal happens shortly before expiry, or once after a
    /// 401, and never twice at once: concurrent callers (requests, runspaces) wait for the one renewal in progress and
    /// then share its token. An early renewal that fails for a passing reason (5xx, timeout, network) does not fail the
    /// request: the current token is still valid, so it is used, and renewal is tried again a little later.
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

            // After a failed early renewal: no new attempt before this (UTC ticks; 0 = none).
            private long _retryAtTicks;

            public DateTimeOffset RetryAt
            {
                get => new DateTimeOffset(Interlocked.Read(ref _retryAtTicks), TimeSpan.Zero);
                set => Interlocked.Exchange(ref _retryAtTicks, value.UtcTicks);
            }

            /// <summary>True when the token should be renewed before use at <paramref name="now"/>.</summary>
            public bool Due(DateTimeOffset now) => now >= RenewAt && (now >= ExpiresAt || now >= RetryAt);
        }

        /// <summary>The client that calls the token endpoint (the connection's own, set once it exists).</summary>
        internal LcClient? Client { get; set; }

        /// <summary>The clock; tests replace it.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        public override bool CanRenew => true;
        public override DateTimeOffset? ExpiresAt => _state?.ExpiresAt;
        public override DateTimeOffset? RefreshedAt => _state?.Obtained;

        /// <summary>The longest wait after a failed early renewal before the next attempt.</summary>
        internal static readonly TimeSpan EarlyRetryMax = TimeSpan.FromSeconds(30);

        public override async ValueTask<string> GetAsync(LcCall call)
        {
            var state = _state;
            if (state != null && !state.Due(Clock())) return state.Token;
            await RenewIfAsync(s => s == null || s.Due(Clock()), call, early: true).ConfigureAwait(false);
            return _state!.Token;
        }

        // After a 401 the token is not trusted, whatever its expiry says: a failure to renew it surfaces.
        public override Task RenewAsync(string rejected, LcCall call) =>
            RenewIfAsync(s => s == null || string.Equals(s.Token, rejected, StringComparison.Ordinal) || Clock() >= s.RenewAt, call, early: false);

        private async Task RenewIfAsync(Func<TokenState?, bool> needed, LcCall call, bool early)
        {
            await _renewal.WaitAsync(call.CancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed (or failed to, and backed off) while this one waited: then that stands.
                var current = _state;
                if (!needed(current)) return;
                var client = Client ?? throw new InvalidOperationException("The token provider has no client.");
                var started = Clock();
                TokenGrant grant;
                try
                {
                    grant = await ObtainAsync(client, call).ConfigureAwait(false);
                }
                catch (LcException ex) when (early && current != null && IsPassing(ex.Kind) && Clock() < current.ExpiresAt)
                {
                    // The current token is still valid: use it rather than fail the request, and give the token
                    // endpoint a rest instead of asking again for every request until the token expires.
                    var now = Clock();
                    var tenth = TimeSpan.FromTicks((current.ExpiresAt - now).Ticks / 10);
                    var wait = tenth < EarlyRetryMax ? tenth : EarlyRetryMax;
                    current.RetryAt = now + wait;
                    call.Verbose($"Renewing the access token before it expires failed ({ex.Kind}: {Redactor.Apply(ex.Message)}). " +
                        $"The current token is valid until {current.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, so it is used; renewal is tried again in {wait.TotalSeconds:0.#} s.");
                    return;
                }
                // Registered before anything (a trace, an event, an error) can show them.
                Redactor.Add(grant.AccessToken);
                Redactor.Add(grant.RefreshToken);
                _state = new TokenState(grant.AccessToken, started, grant.Lifetime);
                call.Verbose($"Obtained a new access token; it expires at {_state.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z.");
                // The new tokens are in use before anything else can fail: a failure from here on fails this call only.
                Renewed(grant, call);
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>Failures that may pass by themselves; a refused grant or a bad setting does not.</summary>
        private static bool IsPassing(LcErrorKind kind) =>
            kind == LcErrorKind.ServerError || kind == LcErrorKind.Timeout || kind == LcErrorKind.Network || kind == LcErrorKind.RateLimited;

        /// <summary>
        /// Calls the token endpoint and returns its grant. Nothing may print a secret of the answer here: the caller
        /// registers the grant's tokens with the redactor as soon as this returns.
        /// </summary>
        protected abstract Task<TokenGrant> ObtainAsync(LcClient client, LcCall call);

        /// <summary>
        /// Runs under the renewal lock after the new access token is in use (and registered with the redactor). An
        /// exception thrown here fails the current call only; the new tokens stay.
        /// </summary>
        protected virtual void Renewed(TokenGrant grant, LcCall call) { }

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
    /// rotate: each renewal returns a new one and kills the old. The new one is kept in memory first (so this session
    /// goes on working whatever happens next), then saved to the file, then handed to the event; a failed save is an
    /// error of the current call, after which the session carries on with the token in memory.
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
            Identity = "oauth-" + LeadConnector.AccessToken.FingerprintOf(clientId);
        }

        public override TokenKind Kind => TokenKind.OAuthRefreshToken;

        // Fixed at creation: pacing keys must not change when the tokens rotate.
        public override string Identity { get; }

        /// <summary>Raised after each rotation, once the new refresh token is saved (or saving it failed). Exceptions are reported, not thrown.</summary>
        internal Action<RefreshTokenRotatedEventArgs>? Rotated { get; set; }

        /// <summary>The error of the last rotation's save, when it failed (null after a save that worked).</summary>
        internal LcException? LastSaveFailure { get; private set; }

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
            // The old refresh token is dead now: the new one is kept before anything can fail, so the next renewal uses it.
            _refreshToken = grant.RefreshToken!;
            GrantedLocationId = grant.LocationId;
            return grant;
        }

        protected override void Renewed(TokenGrant grant, LcCall call)
        {
            var refreshToken = grant.RefreshToken!;
            LcException? unsaved = null;
            if (_store != null)
            {
                try
                {
                    _store.Save(refreshToken);
                }
                catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
                {
                    unsaved = NotSaved(_store, refreshToken, ex);
                }
            }
            LastSaveFailure = unsaved;
            if (unsaved == null)
                call.Verbose(_store == null
                    ? "The refresh token rotated: the new one is held in this session (see the RefreshTokenRotated event)."
                    : $"The refresh token rotated: the new one is saved in {_store.Path}.");

            // A handler's failure must not undo a rotation that has happened: report it and carry on.
            try
            {
                Rotated?.Invoke(new RefreshTokenRotatedEventArgs(Secure(refreshToken), DateTimeOffset.UtcNow, grant.LocationId));
            }
            catch (Exception ex)
            {
                call.Verbose($"A RefreshTokenRotated handler failed ({Describe(ex)}); the renewal carries on with the new tokens.");
            }

            if (unsaved != null) throw unsaved;
        }

        private LcException NotSaved(RefreshTokenStore store, string refreshToken, Exception ex)
        {
            var pending = store.IsPending(refreshToken);
            return new LcException(LcErrorKind.TokenNotSaved,
                $"The refresh token rotated, but the new one could not be saved to '{store.Path}' ({Describe(ex)}). " +
                "The old refresh token no longer works. " +
                (pending
                    ? $"The new one is kept in this session and in '{store.PendingPath}', which Connect-Lc -RefreshTokenPath reads first. "
                    : "The new one is kept in this session only: store it before the session ends (the RefreshTokenRotated event hands it over), or the next run cannot renew. ") +
                "Fix the folder (free space, permissions, that it exists); the next renewal saves again. " +
                "The request that needed the renewal was not carried out; send it again: it uses the new access token.",
                ex);
        }

        private string Describe(Exception ex) => ex.GetType().Name + ": " + Redactor.Apply(ex.Message);
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
            return TokenGrant.Read(body, TokenPath);
        }
    }
}
