using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
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
        private readonly ConnectionSettings _settings;

        /// <summary>Built last, from parts built before it: the settings, the token provider, then the client.</summary>
        private Connection(ConnectionSettings settings, TokenProvider tokens, LcClient client, string? refreshTokenPath, LcException? refreshTokenSaveFailure)
        {
            _settings = settings;
            Tokens = tokens;
            Client = client;
            RefreshTokenPath = refreshTokenPath;
            RefreshTokenSaveFailure = refreshTokenSaveFailure;
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

        public string? LocationId => _settings.LocationId;
        public Uri BaseUri => _settings.BaseUri;
        public string ApiVersion => _settings.ApiVersion;
        public TokenKind TokenKind => Tokens.Kind;
        /// <summary>When the access token expires, for tokens that do (OAuth); null for static tokens.</summary>
        public DateTimeOffset? TokenExpiresAt => Tokens.ExpiresAt;
        /// <summary>When the access token was last obtained from a token endpoint; null for static tokens.</summary>
        public DateTimeOffset? TokenRefreshedAt => Tokens.RefreshedAt;
        /// <summary>The file that keeps the rotating refresh token, when one was given.</summary>
        public string? RefreshTokenPath { get; }
        public int MaxRetries => _settings.MaxRetries;
        public int MaxRetryTimeSec => _settings.MaxRetryTimeSec;
        public int TimeoutSec => _settings.TimeoutSec;

        /// <summary>
        /// Raised after each OAuth refresh, once the new refresh token is saved (to <see cref="RefreshTokenPath"/> when
        /// given), and also when saving it failed. The previous refresh token no longer works: store the new one (a key
        /// vault, an Automation variable). A handler that throws does not stop the renewal or the other handlers (its
        /// error is written to the verbose stream). In PowerShell:
        /// Register-ObjectEvent -InputObject $connection -EventName RefreshTokenRotated -Action { ... }.
        /// </summary>
        public event EventHandler<RefreshTokenRotatedEventArgs>? RefreshTokenRotated;

        internal TokenProvider Tokens { get; }
        internal ConnectionSettings Settings => _settings;
        internal LcClient Client { get; }

        /// <summary>
        /// Set by <see cref="ConnectAsync"/> when the first renewal rotated the refresh token but could not save it: the
        /// connection works (the new token is in memory), and a host should show this as a warning.
        /// </summary>
        internal LcException? RefreshTokenSaveFailure { get; }

        public override string ToString() =>
            LocationId == null ? $"LeadConnector {BaseUri} (no default location)" : $"LeadConnector {BaseUri} location {LocationId}";

        /// <summary>
        /// Validates the options and builds a connection with a static token. Throws <see cref="LcException"/> (InvalidInput).
        /// OAuth and agency connections need a first token from the API: use <see cref="ConnectAsync"/>.
        /// </summary>
        public static Connection Create(ConnectionOptions options) => Create(options, EngineServices.Default);

        /// <summary><see cref="Create(ConnectionOptions)"/> with the given clock, network and gates.</summary>
        internal static Connection Create(ConnectionOptions options, EngineServices services)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (IsRenewing(options))
                throw LcException.InvalidInput("OAuth and agency connections obtain their first token from the API: use ConnectAsync.");
            var tokens = new StaticTokenProvider(LeadConnector.AccessToken.Create(options.AccessToken));
            var settings = ConnectionSettings.From(options);
            return Build(settings, tokens, new RestTransport(settings.BaseUri, services.Handler), services, null, null);
        }

        /// <summary>
        /// Validates the options and builds a connection of any kind. OAuth (client id, secret, refresh token) and agency
        /// connections obtain their first access token here; an OAuth connection's location comes from the token
        /// response unless <see cref="ConnectionOptions.LocationId"/> is given.
        /// </summary>
        public static Task<Connection> ConnectAsync(ConnectionOptions options, LcCall call) => ConnectAsync(options, call, EngineServices.Default);

        /// <summary><see cref="ConnectAsync(ConnectionOptions, LcCall)"/> with the given clock, network and gates.</summary>
        internal static async Task<Connection> ConnectAsync(ConnectionOptions options, LcCall call, EngineServices services)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (!IsRenewing(options)) return Create(options, services);

            // Every setting (base URI, version, location, limits) is checked first, before a refresh token is read,
            // written to its file or sent anywhere.
            var settings = ConnectionSettings.From(options);
            RestTransport transport;
            RenewingTokenProvider tokens;
            string? refreshTokenPath = null;
            if (!string.IsNullOrEmpty(options.AgencyToken))
            {
                if (string.IsNullOrWhiteSpace(options.CompanyId)) throw LcException.InvalidInput("An agency token needs the company id (-CompanyId).");
                if (string.IsNullOrWhiteSpace(options.LocationId)) throw LcException.InvalidInput("An agency token needs the location id to get a token for (-LocationId).");
                InputGuard.Id(options.CompanyId!.Trim(), "company id");
                var agency = LeadConnector.AccessToken.Create(options.AgencyToken);
                transport = new RestTransport(settings.BaseUri, services.Handler);
                tokens = new AgencyExchangeProvider(agency, options.CompanyId!.Trim(), options.LocationId!.Trim(), settings, transport, services.Time);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(options.ClientId)) throw LcException.InvalidInput("OAuth needs the app's client id (-ClientId).");
                if (string.IsNullOrEmpty(options.ClientSecret)) throw LcException.InvalidInput("OAuth needs the app's client secret (-ClientSecret).");
                LeadConnector.AccessToken.RequireCredential(options.ClientSecret, "client secret");
                var fileStore = options.TokenStore == null && !string.IsNullOrWhiteSpace(options.RefreshTokenPath) ? new RefreshTokenStore(options.RefreshTokenPath!) : null;
                var store = options.TokenStore ?? fileStore;
                var fromFile = string.IsNullOrEmpty(options.RefreshToken);
                string? refresh;
                // Read and written under the store's lock: another process that shares it may be renewing right now, and
                // writing the token read here back after it saved its new one would bring a dead token back.
                using (store == null ? null : await LockAsync(store, settings, call).ConfigureAwait(false))
                {
                    try
                    {
                        refresh = fromFile ? store?.Load() : options.RefreshToken;
                    }
                    catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
                    {
                        throw new LcException(LcErrorKind.InvalidInput,
                            $"{Capital(store!.Description)} could not be read ({ex.GetType().Name}: {ex.Message}); nothing was sent.", ex);
                    }
                    if (string.IsNullOrEmpty(refresh))
                        throw LcException.InvalidInput(store == null
                            ? "OAuth needs a refresh token: pass -RefreshToken, or -RefreshTokenPath with a file that holds one."
                            : options.TokenStore != null
                            ? $"{Capital(store.Description)} holds no refresh token: save the connection again."
                            : $"The refresh token file '{fileStore!.Path}' is empty or missing: pass -RefreshToken once to start it.");
                    LeadConnector.AccessToken.RequireCredential(refresh, !fromFile || store == null ? "refresh token"
                        : fileStore != null ? $"refresh token in '{fileStore.Path}'" : $"refresh token in {store.Description}");
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
                                $"{Capital(store.Description)} cannot be written ({ex.GetType().Name}: {ex.Message}). Nothing was sent and the refresh token is unchanged. " +
                                (fileStore != null ? "Fix the folder (free space, permissions), or pass another -RefreshTokenPath." : "Fix the folder (free space, permissions)."), ex);
                        }
                    }
                }
                transport = new RestTransport(settings.BaseUri, services.Handler);
                tokens = new OAuthRefreshProvider(options.ClientId!.Trim(), options.ClientSecret!, refresh!, store, settings, transport, services.Time);
                refreshTokenPath = fileStore?.Path;
            }

            // The first token, before the client: an OAuth connection's location may come with it, and the client's
            // pacing key needs the location.
            LcException? saveFailure = null;
            try
            {
                await tokens.GetAsync(call).ConfigureAwait(false);
            }
            catch (LcException ex) when (tokens is OAuthRefreshProvider p && ReferenceEquals(p.LastSaveFailure, ex))
            {
                // The token rotated and the connection works with the new one, which only this connection (and perhaps
                // the pending file) holds: failing here would lose it. Keep the connection, and the error for the host.
                saveFailure = ex;
                call.Verbose(ex.Message);
            }
            if (settings.LocationId == null && tokens is OAuthRefreshProvider granted && !string.IsNullOrEmpty(granted.GrantedLocationId))
                settings = settings.WithLocation(InputGuard.Id(granted.GrantedLocationId, "location id in the token response"));
            return Build(settings, tokens, transport, services, refreshTokenPath, saveFailure);
        }

        private static async Task<IDisposable> LockAsync(IRefreshTokenStore store, ConnectionSettings settings, LcCall call)
        {
            try
            {
                return await store.LockAsync(TimeSpan.FromSeconds(Math.Max(60, settings.TimeoutSec * (settings.MaxRetries + 1) + settings.MaxRetryTimeSec)), call.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
            {
                throw new LcException(LcErrorKind.InvalidInput,
                    $"{Capital(store.Description)} cannot be locked ({ex.GetType().Name}: {ex.Message}). Nothing was sent and the refresh token is unchanged. Fix the folder (permissions, that it exists).", ex);
            }
        }

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

        private static bool IsRenewing(ConnectionOptions o) =>
            o.TokenStore != null || !string.IsNullOrEmpty(o.ClientId) || !string.IsNullOrEmpty(o.RefreshToken) || !string.IsNullOrEmpty(o.RefreshTokenPath) ||
            !string.IsNullOrEmpty(o.AgencyToken);

        private static Connection Build(ConnectionSettings settings, TokenProvider tokens, RestTransport transport, EngineServices services,
            string? refreshTokenPath, LcException? saveFailure) =>
            new Connection(settings, tokens, new LcClient(settings, transport, tokens.Redactor, services.Time, tokens, services.Gates),
                refreshTokenPath, saveFailure);
    }
}
