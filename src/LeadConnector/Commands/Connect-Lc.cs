using System;
using System.Management.Automation;
using System.Security;
using static LeadConnector.Commands.SecureStringTransformationAttribute;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Connect-Lc: validates the settings and stores the process-wide connection. Five ways to sign in: a static token
    /// (-AccessToken, or LC_ACCESS_TOKEN), a credential whose password is the token, a secret from SecretManagement,
    /// OAuth with a client id, secret and rotating refresh token, an agency token exchanged for a location token, and a
    /// connection saved with Save-LcConnection (-Name).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Lc", DefaultParameterSetName = AccessTokenSet)]
    [OutputType(typeof(Connection))]
    public sealed class ConnectLcCommand : LcCmdlet
    {
        private const string AccessTokenSet = "AccessToken";
        private const string CredentialSet = "Credential";
        private const string SecretSet = "Secret";
        private const string OAuthSet = "OAuth";
        private const string AgencySet = "Agency";
        private const string NameSet = "Name";
        internal const string TokenVariable = "LC_ACCESS_TOKEN";
        internal const string LocationVariable = "LC_LOCATION_ID";

        /// <summary>The token, as a SecureString; a plain String is accepted and converted.</summary>
        [Parameter(ParameterSetName = AccessTokenSet, Position = 0)]
        [SecureStringTransformation]
        public SecureString? AccessToken { get; set; }

        /// <summary>A credential whose password is the token (the user name is ignored).</summary>
        [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The name of a SecretManagement secret that holds the token (read with Get-Secret).</summary>
        [Parameter(ParameterSetName = SecretSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? SecretName { get; set; }

        /// <summary>The SecretManagement vault of -SecretName; the default vault when not given.</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>The OAuth app's client id.</summary>
        [Parameter(ParameterSetName = OAuthSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? ClientId { get; set; }

        /// <summary>The OAuth app's client secret.</summary>
        [Parameter(ParameterSetName = OAuthSet, Mandatory = true)]
        [SecureStringTransformation]
        public SecureString? ClientSecret { get; set; }

        /// <summary>A location's refresh token. It rotates: each refresh returns a new one and the old one dies.</summary>
        [Parameter(ParameterSetName = OAuthSet)]
        [SecureStringTransformation]
        public SecureString? RefreshToken { get; set; }

        /// <summary>A file that keeps the refresh token: read when -RefreshToken is not given, rewritten after each rotation.</summary>
        [Parameter(ParameterSetName = OAuthSet)]
        [ValidateNotNullOrEmpty]
        public string? RefreshTokenPath { get; set; }

        /// <summary>An agency (company) token, exchanged for a token of -LocationId.</summary>
        [Parameter(ParameterSetName = AgencySet, Mandatory = true)]
        [SecureStringTransformation]
        public SecureString? AgencyToken { get; set; }

        /// <summary>The agency's company id.</summary>
        [Parameter(ParameterSetName = AgencySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? CompanyId { get; set; }

        /// <summary>The name of a connection saved with Save-LcConnection: its settings and secret are read from there.</summary>
        [Parameter(ParameterSetName = NameSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SavedConnectionNameCompleter))]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = OAuthSet)]
        [Parameter(ParameterSetName = AgencySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SessionLocationIdCompleter))]
        public string[]? LocationId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ApiVersion { get; set; }

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        [Parameter]
        [ValidateRange(0, 86400)]
        public int MaxRetryTimeSec { get; set; } = 300;

        /// <summary>
        /// The first backoff wait in seconds; each further retry waits about twice as long (with jitter), up to
        /// <see cref="MaxDelayFactor"/> times this value. A Retry-After from the API takes precedence.
        /// </summary>
        [Parameter]
        [ValidateRange(0.001, 60.0)]
        public double RetryDelaySec { get; set; } = 1;

        /// <summary>The longest single backoff wait, as a multiple of -RetryDelaySec (30 s at the default 1 s).</summary>
        internal const int MaxDelayFactor = 30;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Also writes the connection to the output (it still becomes the current connection).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Writes the new connection to the output and leaves the current connection as it is, for scripts that work
        /// with several connections (pass it with -Connection).
        /// </summary>
        [Parameter]
        public SwitchParameter ReturnConnection { get; set; }

        /// <summary>Does not check the token with a request (offline scripts, tests).</summary>
        [Parameter]
        public SwitchParameter SkipValidation { get; set; }

        /// <summary>Does not show the one-line summary.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void Process()
        {
            var options = new ConnectionOptions
            {
                LocationId = LocationId is { Length: > 0 } ? LocationId[0] : null,
                BaseUri = BaseUri,
                ApiVersion = ApiVersion,
                MaxRetries = MaxRetries,
                MaxRetryTimeSec = MaxRetryTimeSec,
                TimeoutSec = TimeoutSec,
                RetryBaseDelay = TimeSpan.FromSeconds(RetryDelaySec),
                RetryMaxDelay = TimeSpan.FromSeconds(RetryDelaySec * MaxDelayFactor),
            };
            switch (ParameterSetName)
            {
                case OAuthSet:
                    options.ClientId = ClientId;
                    options.ClientSecret = Plain(ClientSecret);
                    options.RefreshToken = Plain(RefreshToken);
                    options.RefreshTokenPath = RefreshTokenPath == null ? null : GetUnresolvedProviderPathFromPSPath(RefreshTokenPath);
                    break;
                case AgencySet:
                    options.AgencyToken = Plain(AgencyToken);
                    options.CompanyId = CompanyId;
                    break;
                case SecretSet:
                    options.AccessToken = ReadSecret();
                    break;
                case NameSet:
                    options = SavedConnections.Open(this, Name!, options);
                    break;
                default:
                    options.AccessToken = Credential != null ? Plain(Credential.Password) : Plain(AccessToken);
                    if (string.IsNullOrEmpty(options.AccessToken))
                    {
                        options.AccessToken = Environment.GetEnvironmentVariable(TokenVariable);
                        if (!string.IsNullOrEmpty(options.AccessToken)) WriteVerbose($"Using the access token from ${TokenVariable}.");
                    }
                    if (string.IsNullOrEmpty(options.AccessToken))
                    {
                        Terminate($"No access token. Pass -AccessToken, -Credential, -SecretName, or -ClientId with -ClientSecret and -RefreshToken, or set the {TokenVariable} environment variable.",
                            "NoAccessToken", ErrorCategory.AuthenticationError, null);
                        return;
                    }
                    break;
            }
            if (string.IsNullOrEmpty(options.LocationId) && ParameterSetName != OAuthSet && ParameterSetName != NameSet)
                options.LocationId = Environment.GetEnvironmentVariable(LocationVariable);

            if (PassThru.IsPresent && ReturnConnection.IsPresent)
            {
                Terminate("-PassThru makes the connection current and writes it; -ReturnConnection writes it and leaves the current connection alone. Pass one of them.",
                    "PassThruWithReturnConnection", ErrorCategory.InvalidArgument, null);
                return;
            }
            if (LocationId is { Length: > 1 })
            {
                AgencySweep.Connect(this, options, LocationId, ParameterSetName == AgencySet);
                return;
            }

            Connection connection;
            try
            {
                // OAuth and agency connections get their first token here (network); static ones connect offline.
                connection = Await(call => Connection.ConnectAsync(options, call));
            }
            catch (LcException ex) when (SavedConnections.IsSavedConnectionError(ex))
            {
                ThrowTerminatingError(SavedConnections.ToRecord(ex, Name));
                return;
            }
            catch (LcException ex) when (ex.Kind == LcErrorKind.InvalidInput)
            {
                // The connection checks the base URI with the other settings, once, before anything is read, written or
                // sent; its refusal is a security error of its own.
                ThrowTerminatingError(ConnectionSettings.RefusedBaseUri(ex)
                    ? ErrorMap.Record(ex, "InvalidBaseUri", ErrorCategory.SecurityError, BaseUri)
                    : ErrorMap.Record(ex, "InvalidConnectionSetting", ErrorCategory.InvalidArgument, null));
                return;
            }

            // One cheap call says whether the token is good before anything depends on it: a 401 ends here, and the
            // connection is not stored; a 403 means the token is good but may not read this location's conversations.
            ConnectionCheck? check = null;
            if (!SkipValidation.IsPresent)
            {
                try
                {
                    check = Await(call => ConnectionCheck.RunAsync(connection, call));
                }
                catch (LcException ex) when (ex.Kind == LcErrorKind.Unauthorized)
                {
                    ThrowTerminatingError(ErrorMap.Record(new LcException(LcErrorKind.Unauthorized,
                        $"The API refused the token (checked with one request; the connection was not kept): {ex.Message}"),
                        "TokenRefused", ErrorCategory.AuthenticationError, connection.LocationId));
                    return;
                }
            }

            if (!ReturnConnection.IsPresent) ConnectionStore.Set(connection);
            SessionConnections.Remember(connection);
            WriteVerbose($"Connected to {connection.BaseUri} with a {connection.TokenKind} token" +
                (connection.LocationId == null ? " and no default location." : $" for location {connection.LocationId}.") +
                $" API version {connection.ApiVersion}." +
                (connection.TokenExpiresAt is DateTimeOffset expires ? $" The access token expires at {Dates.Shown(expires)} and is renewed before then." : ""));
            if (check?.Refusal != null)
                WriteWarning($"The token is good, but the API refused to read conversations of location {connection.LocationId} with it (it needs the {ConnectionCheck.ProbeScope} scope, or a token of this location): {check.Refusal}");
            if (!Quiet.IsPresent) Greet(connection, check);
            // The first rotation's new refresh token could not be saved: the connection alone holds it now, so it is kept,
            // and the user is told where it went wrong (the message names the file and how to recover).
            if (connection.RefreshTokenSaveFailure is LcException unsaved) WriteWarning(unsaved.Message);
            if (PassThru.IsPresent || ReturnConnection.IsPresent) WriteObject(connection);
        }

        /// <summary>The one-line summary, to the host (the information stream, tagged PSHOST), never to the output.</summary>
        private void Greet(Connection connection, ConnectionCheck? check)
        {
            var kind = connection.TokenKind switch
            {
                TokenKind.PrivateIntegration => "a Private Integration token",
                TokenKind.OAuthLocation => "an OAuth location token",
                TokenKind.OAuthAgency => "an OAuth agency token",
                TokenKind.OAuthRefreshToken => "OAuth (renewed with the refresh token)",
                TokenKind.AgencyExchange => "a location token from the agency token",
                _ => "an access token",
            };
            var expiry = connection.TokenExpiresAt is DateTimeOffset at ? $"expires {Dates.Shown(at, minutes: true)}" : "no expiry known";
            var checkedText = check == null ? "not checked (-SkipValidation)"
                : !check.Validated ? $"not checked: {check.NotChecked}"
                : check.Refusal != null ? $"token good, but it may not read conversations ({ConnectionCheck.ProbeScope})"
                : "token checked";
            var where = connection.LocationId == null ? "no default location" : $"location {connection.LocationId}";
            var line = $"Connected to {where} with {kind} ({expiry}; {checkedText}) at {connection.BaseUri.GetLeftPart(UriPartial.Authority)}" +
                (ReturnConnection.IsPresent ? "; the current connection is unchanged." : ".");
            WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
        }

        /// <summary>Reads the token from SecretManagement's Get-Secret, which must be installed (it is not part of this module).</summary>
        private string? ReadSecret()
        {
            var getSecret = InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
            if (getSecret == null)
            {
                Terminate("-SecretName needs the Microsoft.PowerShell.SecretManagement module (Get-Secret), which is not installed or not importable. Install it with: Install-PSResource Microsoft.PowerShell.SecretManagement (and a vault, e.g. Microsoft.PowerShell.SecretStore), or pass the token another way.",
                    "SecretManagementNotAvailable", ErrorCategory.NotInstalled, SecretName);
                return null;
            }
            System.Collections.ObjectModel.Collection<PSObject> result;
            try
            {
                var script = ScriptBlock.Create("param($n, $v) if ($v) { Get-Secret -Name $n -Vault $v -ErrorAction Stop } else { Get-Secret -Name $n -ErrorAction Stop }");
                result = InvokeCommand.InvokeScript(false, script, null, SecretName, Vault);
            }
            catch (RuntimeException ex)
            {
                var where = Vault == null ? "" : $" in vault '{Vault}'";
                Terminate($"Could not read the secret '{SecretName}'{where}: {ex.Message}", "SecretNotFound", ErrorCategory.ObjectNotFound, SecretName);
                return null;
            }
            var value = result.Count == 0 ? null : result[result.Count - 1]?.BaseObject;
            string? token = value switch
            {
                SecureString secure => Plain(secure),
                string text => text,
                PSCredential credential => Plain(credential.Password),
                _ => null,
            };
            if (string.IsNullOrEmpty(token))
            {
                Terminate($"The secret '{SecretName}' holds no token: it must be a SecureString, a String, or a PSCredential whose password is the token (it was {(value == null ? "empty" : value.GetType().Name)}).",
                    "InvalidSecret", ErrorCategory.InvalidData, SecretName);
                return null;
            }
            WriteVerbose($"Using the access token from the secret '{SecretName}'" + (Vault == null ? "." : $" in vault '{Vault}'."));
            return token;
        }
    }
}
