using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A location's OAuth access token, renewed at POST /oauth/token with grant_type=refresh_token. Refresh tokens
    /// rotate: each renewal returns a new one and kills the old. The new one is kept in memory first (so this session
    /// goes on working whatever happens next), then saved to the file, then handed to the event; a failed save is an
    /// error of the current call, after which the session carries on with the token in memory. With a store (a file or a
    /// saved connection), each renewal holds the store's lock, shared by every process, and first reads the store: when
    /// another process renewed in the meantime, its new refresh token is used (the one in memory is dead by then).
    /// </summary>
    internal sealed class OAuthRefreshProvider : RenewingTokenProvider
    {
        internal const string TokenPath = "oauth/token";

        private readonly string _clientId;
        private readonly string _clientSecret;
        // Where the refresh token is kept, the one that is locked and read before a renewal first; every one is saved
        // after it. Changed only under the renewal lock.
        private readonly List<IRefreshTokenStore> _stores = new List<IRefreshTokenStore>();
        private readonly TimeSpan _lockTimeout;
        private string _refreshToken;
        // The refresh token this session last read from or wrote to the first store: a different one there means another
        // process renewed since.
        private string? _storeSeen;

        public OAuthRefreshProvider(string clientId, string clientSecret, string refreshToken, IRefreshTokenStore? store,
            ConnectionSettings settings, RestTransport transport, TimeProvider time)
            : base(new Redactor(clientSecret, refreshToken), settings, transport, time)
        {
            _clientId = clientId;
            _clientSecret = clientSecret;
            _refreshToken = refreshToken;
            if (store != null)
            {
                _stores.Add(store);
                _storeSeen = refreshToken;
            }
            // Another process holds the lock for one token request at most, retries included.
            _lockTimeout = TimeSpan.FromSeconds(Math.Max(60, settings.TimeoutSec * (settings.MaxRetries + 1) + settings.MaxRetryTimeSec));
            Identity = "oauth-" + LeadConnector.AccessToken.FingerprintOf(clientId);
        }

        internal string ClientId => _clientId;
        internal string ClientSecret => _clientSecret;

        /// <summary>
        /// Saves the current refresh token with <paramref name="save"/> and, from then on, keeps it in
        /// <paramref name="store"/> too (locked and read before each renewal), with no rotation in between.
        /// </summary>
        internal Task<T> KeepInAsync<T>(IRefreshTokenStore store, Func<string, T> save, LcCall call) =>
            UnderRenewalLockAsync(() =>
            {
                var result = save(_refreshToken);
                Redactor.Add(_refreshToken);
                _stores.RemoveAll(s => s.Description == store.Description);
                _stores.Insert(0, store);
                _storeSeen = _refreshToken;
                return result;
            }, call);

        protected override async Task<IDisposable?> EnterRenewalAsync(LcCall call)
        {
            if (_stores.Count == 0) return null;
            var store = _stores[0];
            IDisposable held;
            try
            {
                held = await store.LockAsync(_lockTimeout, call.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
            {
                // The store's folder is gone or closed: renew anyway (this session must go on), and let the save after it
                // report what went wrong, with where the new token is kept.
                call.Verbose($"Could not lock {store.Description} ({Describe(ex)}); renewing without the lock.");
                return null;
            }
            try
            {
                AdoptNewer(store, call);
            }
            catch
            {
                held.Dispose();
                throw;
            }
            return held;
        }

        /// <summary>Under the store's lock: takes the store's refresh token when another process put a newer one there.</summary>
        private void AdoptNewer(IRefreshTokenStore store, LcCall call)
        {
            string? stored;
            try
            {
                stored = store.Load();
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex) || (ex is LcException lc && lc.Kind != LcErrorKind.Cancelled))
            {
                call.Verbose($"Could not read {store.Description} before renewing ({Describe(ex)}); renewing with the refresh token of this session.");
                return;
            }
            if (string.IsNullOrEmpty(stored) || string.Equals(stored, _storeSeen, StringComparison.Ordinal)) return;
            Redactor.Add(stored);
            _refreshToken = stored!;
            _storeSeen = stored;
            call.Verbose($"Another process renewed the token and saved a new refresh token in {store.Description}; renewing with that one.");
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
            TokenGrant grant;
            try
            {
                grant = await client.SendTokenRequestAsync(TokenPath, form, bearer: null, call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401 || ex.StatusCode == 403)
            {
                // invalid_grant (a refresh token used already, or revoked) or invalid_client: no retry can help.
                throw new LcException(LcErrorKind.Unauthorized,
                    $"The OAuth token endpoint refused to renew the access token: {ex.Message} A refresh token works once: connect again with the newest one (-RefreshTokenPath or a saved connection, Save-LcConnection, keeps it for you), and check the client id and secret.",
                    ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path);
            }
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
            for (var i = 0; i < _stores.Count; i++)
            {
                var store = _stores[i];
                try
                {
                    store.Save(refreshToken);
                    if (i == 0) _storeSeen = refreshToken;
                    call.Verbose($"The refresh token rotated: the new one is saved in {store.Description}.");
                }
                catch (Exception ex) when (RefreshTokenStore.IsFileError(ex) || (ex is LcException lc && lc.Kind != LcErrorKind.Cancelled))
                {
                    unsaved ??= NotSaved(store, refreshToken, ex);
                }
            }
            LastSaveFailure = unsaved;
            if (_stores.Count == 0)
                call.Verbose("The refresh token rotated: the new one is held in this session (see the RefreshTokenRotated event).");

            // A handler's failure must not undo a rotation that has happened: report it and carry on.
            try
            {
                Rotated?.Invoke(new RefreshTokenRotatedEventArgs(Secure(refreshToken), Time.GetUtcNow(), grant.LocationId));
            }
            catch (Exception ex)
            {
                call.Verbose($"A RefreshTokenRotated handler failed ({Describe(ex)}); the renewal carries on with the new tokens.");
            }

            if (unsaved != null) throw unsaved;
        }

        private LcException NotSaved(IRefreshTokenStore store, string refreshToken, Exception ex)
        {
            string? recovery;
            try { recovery = store.Recovery(refreshToken); }
            catch (Exception) { recovery = null; }
            return new LcException(LcErrorKind.TokenNotSaved,
                $"The refresh token rotated, but the new one could not be saved to {store.Description} ({Describe(ex)}). " +
                "The old refresh token no longer works. " +
                (recovery ?? "The new one is kept in this session only: store it before the session ends (the RefreshTokenRotated event hands it over), or the next run cannot renew. ") +
                "Fix the folder (free space, permissions, that it exists); the next renewal saves again. " +
                "The request that needed the renewal was not carried out; send it again: it uses the new access token.",
                ex);
        }

        private string Describe(Exception ex) => ex.GetType().Name + ": " + Redactor.Apply(ex.Message);
    }
}
