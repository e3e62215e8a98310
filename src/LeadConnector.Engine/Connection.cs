using System;
using System.Collections.Generic;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A connection to one LeadConnector location: settings, the token (never shown) and the client.
    /// Emitted by Connect-Lc -PassThru and Get-LcConnection; passed back with -Connection.
    /// </summary>
    public sealed class Connection
    {
        private string? _locationId;

        private Connection(ConnectionOptions o, TokenProvider tokens, Uri baseUri, string apiVersion, string? refreshTokenPath)
        {
            Tokens = tokens;
            BaseUri = baseUri;
            ApiVersion = apiVersion;
            _locationId = string.IsNullOrWhiteSpace(o.LocationId) ? null : o.LocationId!.Trim();
            MaxRetries = o.MaxRetries;
            MaxRetryTimeSec = o.MaxRetryTimeSec;
            TimeoutSec = o.TimeoutSec;
            RetryBaseDelay = o.RetryBaseDelay;
            RetryMaxDelay = o.RetryMaxDelay;
            Pacing = o.Pacing;
            RefreshTokenPath = refreshTokenPath;
            Client = new LcClient(this, o.Handler);
            if (tokens is RenewingTokenProvider renewing) renewing.Client = Client;
            if (tokens is OAuthRefreshProvider oauth) oauth.Rotated = RaiseRotated;
        }

        /// <summary>Calls every handler, even after one fails; the failures are thrown together for the provider to report.</summary>
        private void RaiseRotated(RefreshTokenRotatedEventArgs e)
        {
            var handlers = RefreshTokenRotated;
            if (handlers == null) return;
            List<Exception>? failures = null;
            foreach (EventHandler<RefreshTokenRotatedEventArgs> handler in handlers.GetInvocationList())
            {
                try { handler(this, e); }
                catch (Exception ex) { (failures ??= new List<Exception>()).Add(ex); }
            }
            if (failures == null) return;
            if (failures.Count == 1) ExceptionDispatchInfo.Capture(failures[0]).Throw();
            throw new AggregateException("More than one RefreshTokenRotated handler failed.", failures);
        }

        public string? LocationId => Volatile.Read(ref _locationId);
        public Uri BaseUri { get; }
        public string ApiVersion { get; }
        public TokenKind TokenKind => Tokens.Kind;
        /// <summary>When the access token expires, for tokens that do (OAuth); null for static tokens.</summary>
        public DateTimeOffset? TokenExpiresAt => Tokens.ExpiresAt;
        /// <summary>When the access token was last obtained from a token endpoint; null for static tokens.</summary>
        public DateTimeOffset? TokenRefreshedAt => Tokens.RefreshedAt;
        /// <summary>The file that keeps the rotating refresh token, when one was given.</summary>
        public string? RefreshTokenPath { get; }
        public int MaxRetries { get; }
        public int MaxRetryTimeSec { get; }
        public int TimeoutSec { get; }

        /// <summary>
        /// Raised after each OAuth refresh, once the new refresh token is saved (to <see cref="RefreshTokenPath"/> when
        /// given), and also when saving it failed. The previous refresh token no longer works: store the new one (a key
        /// vault, an Automation variable). A handler that throws does not stop the renewal or the other handlers (its
        /// error is written to the verbose stream). In PowerShell:
        /// Register-ObjectEvent -InputObject $connection -EventName RefreshTokenRotated -Action { ... }.
        /// </summary>
        public event EventHandler<RefreshTokenRotatedEventArgs>? RefreshTokenRotated;

        internal TokenProvider Tokens { get; }
        internal TimeSpan RetryBaseDelay { get; }
        internal TimeSpan RetryMaxDelay { get; }
        internal bool Pacing { get; }
        internal LcClient Client { get; }

        /// <summary>
        /// Set by <see cref="ConnectAsync"/> when the first renewal rotated the refresh token but could not save it: the
        /// connection works (the new token is in memory), and a host should show this as a warning.
        /// </summary>
        internal LcException? RefreshTokenSaveFailure { get; private set; }

        public override string ToString() =>
            LocationId == null ? $"LeadConnector {BaseUri} (no default location)" : $"LeadConnector {BaseUri} location {LocationId}";

        /// <summary>
        /// Validates the options and builds a connection with a static token. Throws <see cref="LcException"/> (InvalidInput).
        /// OAuth and agency connections need a first token from the API: use <see cref="ConnectAsync"/>.
        /// </summary>
        public static Connection Create(ConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (IsRenewing(options))
                throw LcException.InvalidInput("OAuth and agency connections obtain their first token from the API: use ConnectAsync.");
            return Build(options, new StaticTokenProvider(LeadConnector.AccessToken.Create(options.AccessToken)), null);
        }

        /// <summary>
        /// Validates the options and builds a connection of any kind. OAuth (client id, secret, refresh token) and agency
        /// connections obtain their first access token here; an OAuth connection's location comes from the token
        /// response unless <see cref="ConnectionOptions.LocationId"/> is given.
        /// </summary>
        public static async Task<Connection> ConnectAsync(ConnectionOptions options, LcCall call)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (!IsRenewing(options)) return Create(options);

            Connection connection;
            if (!string.IsNullOrEmpty(options.AgencyToken))
            {
                if (string.IsNullOrWhiteSpace(options.CompanyId)) throw LcException.InvalidInput("An agency token needs the company id (-CompanyId).");
                if (string.IsNullOrWhiteSpace(options.LocationId)) throw LcException.InvalidInput("An agency token needs the location id to get a token for (-LocationId).");
                InputGuard.Id(options.CompanyId!.Trim(), "company id");
                var agency = LeadConnector.AccessToken.Create(options.AgencyToken);
                connection = Build(options, new AgencyExchangeProvider(agency, options.CompanyId!.Trim(), options.LocationId!.Trim()), null);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(options.ClientId)) throw LcException.InvalidInput("OAuth needs the app's client id (-ClientId).");
                if (string.IsNullOrEmpty(options.ClientSecret)) throw LcException.InvalidInput("OAuth needs the app's client secret (-ClientSecret).");
                LeadConnector.AccessToken.RequireCredential(options.ClientSecret, "client secret");
                var store = string.IsNullOrWhiteSpace(options.RefreshTokenPath) ? null : new RefreshTokenStore(options.RefreshTokenPath!);
                var fromFile = string.IsNullOrEmpty(options.RefreshToken);
                string? refresh;
                try
                {
                    refresh = fromFile ? store?.Load() : options.RefreshToken;
                }
                catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
                {
                    throw new LcException(LcErrorKind.InvalidInput,
                        $"The refresh token file '{store!.Path}' could not be read ({ex.GetType().Name}: {ex.Message}); nothing was sent.", ex);
                }
                if (string.IsNullOrEmpty(refresh))
                    throw LcException.InvalidInput(store == null
                        ? "OAuth needs a refresh token: pass -RefreshToken, or -RefreshTokenPath with a file that holds one."
                        : $"The refresh token file '{store.Path}' is empty or missing: pass -RefreshToken once to start it.");
                LeadConnector.AccessToken.RequireCredential(refresh, fromFile && store != null ? $"refresh token in '{store.Path}'" : "refresh token");
                if (store != null)
                {
                    // Written before the first renewal: a token given explicitly starts the file, so the next run can
                    // start from the file alone; and a folder that cannot be written fails here, before the rotation
                    // kills the token the file holds, rather than after it.
                    try
                    {
                        store.Save(refresh!);
                    }
                    catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
                    {
                        throw new LcException(LcErrorKind.InvalidInput,
                            $"The refresh token file '{store.Path}' cannot be written ({ex.GetType().Name}: {ex.Message}). Nothing was sent and the refresh token is unchanged. " +
                            "Fix the folder (free space, permissions), or pass another -RefreshTokenPath.", ex);
                    }
                }
                connection = Build(options, new OAuthRefreshProvider(options.ClientId!.Trim(), options.ClientSecret!, refresh!, store), store?.Path);
            }

            try
            {
                await connection.Tokens.GetAsync(call).ConfigureAwait(false);
            }
            catch (LcException ex) when (connection.Tokens is OAuthRefreshProvider p && ReferenceEquals(p.LastSaveFailure, ex))
            {
                // The token rotated and the connection works with the new one, which only this connection (and perhaps
                // the pending file) holds: failing here would lose it. Keep the connection, and the error for the host.
                connection.RefreshTokenSaveFailure = ex;
                call.Verbose(ex.Message);
            }
            if (connection.LocationId == null && connection.Tokens is OAuthRefreshProvider granted && !string.IsNullOrEmpty(granted.GrantedLocationId))
                Volatile.Write(ref connection._locationId, InputGuard.Id(granted.GrantedLocationId, "location id in the token response"));
            return connection;
        }

        private static bool IsRenewing(ConnectionOptions o) =>
            !string.IsNullOrEmpty(o.ClientId) || !string.IsNullOrEmpty(o.RefreshToken) || !string.IsNullOrEmpty(o.RefreshTokenPath) ||
            !string.IsNullOrEmpty(o.AgencyToken);

        private static Connection Build(ConnectionOptions options, TokenProvider tokens, string? refreshTokenPath)
        {
            var baseUri = ValidateBaseUri(options.BaseUri ?? new Uri(ConnectionOptions.DefaultBaseUri));
            var version = string.IsNullOrWhiteSpace(options.ApiVersion) ? ConnectionOptions.DefaultApiVersion : options.ApiVersion!.Trim();
            InputGuard.HeaderValue(version, "API version");
            if (options.LocationId != null && options.LocationId.Trim().Length > 0)
                InputGuard.Id(options.LocationId.Trim(), "location id");
            if (options.MaxRetries < 0 || options.MaxRetries > 20)
                throw LcException.InvalidInput($"MaxRetries must be between 0 and 20; it was {options.MaxRetries}.");
            if (options.MaxRetryTimeSec < 0)
                throw LcException.InvalidInput($"MaxRetryTimeSec must be 0 or more; it was {options.MaxRetryTimeSec}.");
            if (options.TimeoutSec < 1 || options.TimeoutSec > 3600)
                throw LcException.InvalidInput($"TimeoutSec must be between 1 and 3600; it was {options.TimeoutSec}.");
            return new Connection(options, tokens, baseUri, version, refreshTokenPath);
        }

        internal static Uri ValidateBaseUri(Uri uri)
        {
            if (!uri.IsAbsoluteUri)
                throw LcException.InvalidInput($"The base URI '{uri}' is not absolute. Use e.g. {ConnectionOptions.DefaultBaseUri}.");
            if (!string.IsNullOrEmpty(uri.UserInfo))
                throw LcException.InvalidInput("The base URI must not carry a user name or password.");
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                throw LcException.InvalidInput($"The base URI '{uri.GetLeftPart(UriPartial.Path)}' must not have a query or fragment.");
            if (uri.Scheme == Uri.UriSchemeHttps) return Normalise(uri);
            if (uri.Scheme == Uri.UriSchemeHttp)
            {
                if (IsLoopback(uri)) return Normalise(uri);
                throw new LcException(LcErrorKind.InvalidInput,
                    $"Refusing the base URI '{uri.GetLeftPart(UriPartial.Authority)}': http:// would send the access token unencrypted. Use https://, or http:// only for a loopback host such as 127.0.0.1 or localhost.");
            }
            throw LcException.InvalidInput($"The base URI scheme '{uri.Scheme}' is not supported; use https://.");
        }

        private static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            var host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
        }

        private static Uri Normalise(Uri uri)
        {
            var s = uri.GetLeftPart(UriPartial.Path);
            return new Uri(s.EndsWith("/", StringComparison.Ordinal) ? s : s + "/");
        }
    }
}
