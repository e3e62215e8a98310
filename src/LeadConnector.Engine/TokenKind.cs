using System;
using System.Security.Cryptography;

namespace LeadConnector
{
    /// <summary>What kind of credential a connection holds, read from the token's shape.</summary>
    public enum TokenKind
    {
        Unknown,
        /// <summary>A Private Integration Token (pit-...), static until rotated by hand.</summary>
        PrivateIntegration,
        /// <summary>A sub-account (location) OAuth access token, valid for about 24 hours.</summary>
        OAuthLocation,
        /// <summary>An agency (company) OAuth token; exchange it for a location token at /oauth/locationToken.</summary>
        OAuthAgency,
        /// <summary>A location's OAuth token obtained and renewed with a client id, secret and rotating refresh token.</summary>
        OAuthRefreshToken,
        /// <summary>A location token obtained from an agency token at /oauth/locationToken, and obtained again before it expires.</summary>
        AgencyExchange,
    }
}
