using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace LeadConnector.Commands
{
    /// <summary>Connect-Lc: validates the settings and stores the process-wide connection.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Lc", DefaultParameterSetName = AccessTokenSet)]
    [OutputType(typeof(Connection))]
    public sealed class ConnectLcCommand : LcCmdlet
    {
        private const string AccessTokenSet = "AccessToken";
        private const string CredentialSet = "Credential";
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

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LocationId { get; set; }

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

        [Parameter]
        public SwitchParameter PassThru { get => PassThruFlag; set => PassThruFlag = value.IsPresent; }
        internal bool PassThruFlag { get; set; }

        protected override void Process()
        {
            string? token = Credential != null ? Plain(Credential.Password) : Plain(AccessToken);
            string? location = LocationId;
            if (string.IsNullOrEmpty(token))
            {
                token = Environment.GetEnvironmentVariable(TokenVariable);
                if (!string.IsNullOrEmpty(token)) WriteVerbose($"Using the access token from ${TokenVariable}.");
            }
            if (string.IsNullOrEmpty(token))
            {
                Terminate($"No access token. Pass -AccessToken or -Credential, or set the {TokenVariable} environment variable.",
                    "NoAccessToken", ErrorCategory.AuthenticationError, null);
                return;
            }
            if (string.IsNullOrEmpty(location)) location = Environment.GetEnvironmentVariable(LocationVariable);

            try
            {
                Connection.ValidateBaseUri(BaseUri ?? new Uri(ConnectionOptions.DefaultBaseUri));
            }
            catch (LcException ex)
            {
                ThrowTerminatingError(ErrorMap.Record(ex, "InvalidBaseUri", ErrorCategory.SecurityError, BaseUri));
                return;
            }

            Connection connection;
            try
            {
                connection = Connection.Create(new ConnectionOptions
                {
                    AccessToken = token,
                    LocationId = location,
                    BaseUri = BaseUri,
                    ApiVersion = ApiVersion,
                    MaxRetries = MaxRetries,
                    MaxRetryTimeSec = MaxRetryTimeSec,
                    TimeoutSec = TimeoutSec,
                    RetryBaseDelay = TimeSpan.FromSeconds(RetryDelaySec),
                    RetryMaxDelay = TimeSpan.FromSeconds(RetryDelaySec * MaxDelayFactor),
                });
            }
            catch (LcException ex)
            {
                ThrowTerminatingError(ErrorMap.Record(ex, "InvalidConnectionSetting", ErrorCategory.InvalidArgument, null));
                return;
            }

            ConnectionStore.Set(connection);
            SessionConnections.Remember(connection);
            WriteVerbose($"Connected to {connection.BaseUri} with a {connection.TokenKind} token" +
                (connection.LocationId == null ? " and no default location." : $" for location {connection.LocationId}.") +
                $" API version {connection.ApiVersion}.");
            if (PassThruFlag) WriteObject(connection);
        }

        internal static string? Plain(SecureString? secure)
        {
            if (secure == null || secure.Length == 0) return null;
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
