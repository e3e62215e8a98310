using System;
using System.Net;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A connection's validated settings (from <see cref="ConnectionOptions"/>): where and how the client sends, how
    /// long it waits and retries. Built before anything else of the connection, and never changed after.
    /// </summary>
    internal sealed class ConnectionSettings
    {
        private ConnectionSettings(Uri baseUri, string apiVersion, string? locationId, int maxRetries, int maxRetryTimeSec, int timeoutSec,
            TimeSpan retryBaseDelay, TimeSpan retryMaxDelay)
        {
            BaseUri = baseUri;
            ApiVersion = apiVersion;
            LocationId = locationId;
            MaxRetries = maxRetries;
            MaxRetryTimeSec = maxRetryTimeSec;
            TimeoutSec = timeoutSec;
            RetryBaseDelay = retryBaseDelay;
            RetryMaxDelay = retryMaxDelay;
        }

        /// <summary>The base URI, ending with '/'.</summary>
        public Uri BaseUri { get; }
        public string ApiVersion { get; }
        /// <summary>The default location; null when none was given (an OAuth connection may learn it from its first token).</summary>
        public string? LocationId { get; }
        public int MaxRetries { get; }
        public int MaxRetryTimeSec { get; }
        public int TimeoutSec { get; }
        public TimeSpan RetryBaseDelay { get; }
        public TimeSpan RetryMaxDelay { get; }

        /// <summary>The same settings with another default location.</summary>
        public ConnectionSettings WithLocation(string? locationId) =>
            new ConnectionSettings(BaseUri, ApiVersion, locationId, MaxRetries, MaxRetryTimeSec, TimeoutSec, RetryBaseDelay, RetryMaxDelay);

        /// <summary>Marks (in <see cref="Exception.Data"/>) the InvalidInput error that refused the base URI.</summary>
        private const string RefusedBaseUriKey = "LeadConnector.RefusedBaseUri";

        /// <summary>True when <paramref name="ex"/> refused the base URI (not another setting), so a host can name it apart.</summary>
        public static bool RefusedBaseUri(LcException ex) => ex.Kind == LcErrorKind.InvalidInput && ex.Data.Contains(RefusedBaseUriKey);

        /// <summary>Validates the options. Throws <see cref="LcException"/> (InvalidInput; <see cref="RefusedBaseUri"/> for the base URI).</summary>
        public static ConnectionSettings From(ConnectionOptions options)
        {
            Uri baseUri;
            try
            {
                baseUri = ValidateBaseUri(options.BaseUri ?? new Uri(ConnectionOptions.DefaultBaseUri));
            }
            catch (LcException ex)
            {
                ex.Data[RefusedBaseUriKey] = true;
                throw;
            }
            var version = string.IsNullOrWhiteSpace(options.ApiVersion) ? ConnectionOptions.DefaultApiVersion : options.ApiVersion!.Trim();
            InputGuard.HeaderValue(version, "API version");
            string? location = null;
            if (options.LocationId != null && options.LocationId.Trim().Length > 0)
                location = InputGuard.Id(options.LocationId.Trim(), "location id");
            if (options.MaxRetries < 0 || options.MaxRetries > 20)
                throw LcException.InvalidInput($"MaxRetries must be between 0 and 20; it was {options.MaxRetries}.");
            if (options.MaxRetryTimeSec < 0)
                throw LcException.InvalidInput($"MaxRetryTimeSec must be 0 or more; it was {options.MaxRetryTimeSec}.");
            if (options.TimeoutSec < 1 || options.TimeoutSec > 3600)
                throw LcException.InvalidInput($"TimeoutSec must be between 1 and 3600; it was {options.TimeoutSec}.");
            return new ConnectionSettings(baseUri, version, location, options.MaxRetries, options.MaxRetryTimeSec, options.TimeoutSec,
                options.RetryBaseDelay, options.RetryMaxDelay);
        }

        private static Uri ValidateBaseUri(Uri uri)
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
