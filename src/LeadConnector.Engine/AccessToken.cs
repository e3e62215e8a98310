using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadConnector
{
    /// <summary>
    /// Holds the secret. Nothing public exposes it: no property, ToString or serialisation shows it.
    /// Only the client reads it, to build the Authorization header.
    /// </summary>
    internal sealed class AccessToken
    {
        private readonly string _value;

        private AccessToken(string value, TokenKind kind, string fingerprint)
        {
            _value = value;
            Kind = kind;
            Fingerprint = fingerprint;
        }

        public TokenKind Kind { get; }

        /// <summary>A short hash that identifies the token in limiter keys, never reversible to it.</summary>
        public string Fingerprint { get; }

        internal string Reveal() => _value;

        public override string ToString() => "***";

        public static AccessToken Create(string? value)
        {
            var token = RequireCredential(value, "access token");
            return new AccessToken(token, DetectKind(token), FingerprintOf(token));
        }

        /// <summary>
        /// Refuses an empty credential, or one with a space, control or non-ASCII character (a token goes into a header,
        /// where such a character could split or forge headers; in a form it means a bad copy). <paramref name="what"/>
        /// names the value in the message ("client secret", "refresh token in '...'"); the value itself is never shown.
        /// </summary>
        internal static string RequireCredential(string? value, string what)
        {
            if (value == null || value.Trim().Length == 0)
                throw LcException.InvalidInput($"The {what} is empty.");
            foreach (var c in value)
            {
                if (c <= ' ' || c > '~')
                    throw LcException.InvalidInput(
                        $"The {what} contains a space, a control character or a non-ASCII character. Check that it was copied whole and alone.");
            }
            return value;
        }

        /// <summary>A short, non-reversible hash of a secret or name: the first 8 bytes of its SHA-256, as hex.</summary>
        internal static string FingerprintOf(string value)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(value));
            return BitConverter.ToString(hash, 0, 8).Replace("-", "").ToLowerInvariant();
        }

        internal static TokenKind DetectKind(string token)
        {
            if (token.StartsWith("pit-", StringComparison.Ordinal)) return TokenKind.PrivateIntegration;
            var parts = token.Split('.');
            if (parts.Length != 3) return TokenKind.Unknown;
            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
                if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                    doc.RootElement.TryGetProperty("authClass", out var cls) && cls.ValueKind == JsonValueKind.String)
                {
                    var s = cls.GetString();
                    if (string.Equals(s, "Location", StringComparison.OrdinalIgnoreCase)) return TokenKind.OAuthLocation;
                    if (string.Equals(s, "Company", StringComparison.OrdinalIgnoreCase)) return TokenKind.OAuthAgency;
                }
            }
            catch (FormatException) { }
            catch (JsonException) { }
            return TokenKind.Unknown;
        }
    }
}
