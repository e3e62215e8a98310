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
    /// error of the current call, after which the session carries on with the token in memory.
    /// </summary>
    internal sealed class OAuthRefreshProvider : RenewingTokenProvider
    {
        internal const string TokenPath = "oauth/token";

        private readonly string _clientId;
        private readonly string _clientSecret;
        private readonly RefreshTokenStore? _store;
        private string _refreshToken;

        public OAuthRefreshProvider(string clientId, string clientSecret, string refreshToken, RefreshTokenStore? store,
            ConnectionSettings settings, RestTransport transport, TimeProvider time)
            : base(new Redactor(clientSecret, refreshToken), settings, transport, time)
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
            TokenGrant grant;
            try
            {
                grant = await client.SendTokenRequestAsync(TokenPath, form, bearer: null, call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401 || ex.StatusCode == 403)
            {
                // invalid_grant (a refresh token used already, or revoked) or invalid_client: no retry can help.
                throw new LcException(LcErrorKind.Unauthorized,
                    $"The OAuth token endpoint refused to renew the access token: {ex.Message} A refresh token works once: connect again with the newest one (-RefreshTokenPath keeps it for you), and check the client id and secret.",
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
                Rotated?.Invoke(new RefreshTokenRotatedEventArgs(Secure(refreshToken), Time.GetUtcNow(), grant.LocationId));
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
}
