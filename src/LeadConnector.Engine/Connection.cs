using System;
using System.Net;
using System.Threading;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>What Connect-Lc is given; validated by <see cref="Connection.Create"/>.</summary>
    public sealed class ConnectionOptions
    {
        public const string DefaultBaseUri = "https://services.leadconnectorhq.com";
        public const string DefaultApiVersion = "2021-07-28";

        public string? AccessToken { get; set; }
        public string? LocationId { get; set; }
        public Uri? BaseUri { get; set; }
        public string? ApiVersion { get; set; }
        public int MaxRetries { get; set; } = 5;
        public int MaxRetryTimeSec { get; set; } = 300;
        public int TimeoutSec { get; set; } = 100;

        /// <summary>The first backoff step. Tests shorten it; users tune retries with the settings above.</summary>
        internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The longest single backoff wait.</summary>
        internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Replaces the network for engine tests (fuzzing the response handling without sockets).</summary>
        internal System.Net.Http.HttpMessageHandler? Handler { get; set; }
        /// <summary>Client-side pacing (on in every real connection; engine tests of other behaviour switch it off).</summary>
        internal bool Pacing { get; set; } = true;
    }

    /// <summary>
    /// A connection to one LeadConnector location: settings, the token (never shown) and the client.
    /// Emitted by Connect-Lc -PassThru and Get-LcConnection; passed back with -Connection.
    /// </summary>
    public sealed class Connection
    {
        private Connection(ConnectionOptions o, AccessToken token, Uri baseUri, string apiVersion)
        {
            Token = token;
            BaseUri = baseUri;
            ApiVersion = apiVersion;
            LocationId = string.IsNullOrWhiteSpace(o.LocationId) ? null : o.LocationId!.Trim();
            MaxRetries = o.MaxRetries;
            MaxRetryTimeSec = o.MaxRetryTimeSec;
            TimeoutSec = o.TimeoutSec;
            RetryBaseDelay = o.RetryBaseDelay;
            RetryMaxDelay = o.RetryMaxDelay;
            Pacing = o.Pacing;
            Client = new LcClient(this, o.Handler);
        }

        public string? LocationId { get; }
        public Uri BaseUri { get; }
        public string ApiVersion { get; }
        public TokenKind TokenKind => Token.Kind;
        public int MaxRetries { get; }
        public int MaxRetryTimeSec { get; }
        public int TimeoutSec { get; }

        internal AccessToken Token { get; }
        internal TimeSpan RetryBaseDelay { get; }
        internal TimeSpan RetryMaxDelay { get; }
        internal bool Pacing { get; }
        internal LcClient Client { get; }

        public override string ToString() =>
            LocationId == null ? $"LeadConnector {BaseUri} (no default location)" : $"LeadConnector {BaseUri} location {LocationId}";

        /// <summary>Validates the options and builds a connection. Throws <see cref="LcException"/> (InvalidInput).</summary>
        public static Connection Create(ConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var token = AccessToken.Create(options.AccessToken);
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
            return new Connection(options, token, baseUri, version);
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

    /// <summary>The process-wide current connection, shared by every runspace of the process.</summary>
    public static class ConnectionStore
    {
        private static Connection? _current;

        public static Connection? Current => Volatile.Read(ref _current);

        public static void Set(Connection? connection) => Volatile.Write(ref _current, connection);
    }
}
