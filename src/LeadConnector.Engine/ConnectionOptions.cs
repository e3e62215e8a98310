using System;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>What Connect-Lc is given; validated by <see cref="Connection.Create"/>.</summary>
    public sealed class ConnectionOptions
    {
        public const string DefaultBaseUri = "https://services.leadconnectorhq.com";
        public const string DefaultApiVersion = "2021-07-28";

        /// <summary>A static token: a Private Integration Token or an access token (or an agency token used as is).</summary>
        public string? AccessToken { get; set; }
        public string? LocationId { get; set; }

        /// <summary>OAuth: the app's client id, client secret and a location's refresh token (which rotates).</summary>
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public string? RefreshToken { get; set; }
        /// <summary>Where the rotating refresh token is kept (read when <see cref="RefreshToken"/> is not given, written after each rotation).</summary>
        public string? RefreshTokenPath { get; set; }
        /// <summary>Where the rotating refresh token is kept when not in <see cref="RefreshTokenPath"/>: a saved connection (Connect-Lc -Name).</summary>
        internal IRefreshTokenStore? TokenStore { get; set; }

        /// <summary>An agency (company) token to exchange for a token of <see cref="LocationId"/> in <see cref="CompanyId"/>.</summary>
        public string? AgencyToken { get; set; }
        public string? CompanyId { get; set; }
        public Uri? BaseUri { get; set; }
        public string? ApiVersion { get; set; }
        public int MaxRetries { get; set; } = 5;
        public int MaxRetryTimeSec { get; set; } = 300;
        public int TimeoutSec { get; set; } = 100;

        /// <summary>The first backoff step (Connect-Lc -RetryDelaySec; tests shorten it).</summary>
        internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The longest single backoff wait.</summary>
        internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The same options for another location (an agency sweep connects each location with the agency token and the
        /// settings it was given): every setting is copied, so a setting added later is never left out of the copy.
        /// </summary>
        internal ConnectionOptions WithLocation(string locationId)
        {
            var copy = (ConnectionOptions)MemberwiseClone();
            copy.LocationId = locationId;
            return copy;
        }
    }
}
