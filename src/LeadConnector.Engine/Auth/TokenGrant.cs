using System;

namespace LeadConnector.Engine
{
    /// <summary>What a token endpoint answered.</summary>
    internal sealed class TokenGrant
    {
        public string AccessToken = "";
        public TimeSpan Lifetime;
        public string? RefreshToken;
        public string? LocationId;
        private long? _expiresIn;

        private static readonly FieldMap<TokenGrant> Fields = new FieldMap<TokenGrant>(() => new TokenGrant())
            .Add("access_token", (ref JsonSource s, TokenGrant g) => g.AccessToken = s.String() ?? "")
            .Add("expires_in", (ref JsonSource s, TokenGrant g) => g._expiresIn = s.Long())
            .Add("refresh_token", (ref JsonSource s, TokenGrant g) => g.RefreshToken = s.String())
            .Add("locationId", (ref JsonSource s, TokenGrant g) => g.LocationId = s.String());

        /// <summary>
        /// Reads a token answer's body. A body that is not an object, or has no access_token, is an InvalidResponse;
        /// invalid JSON throws <see cref="System.Text.Json.JsonException"/> for the client to report (without the body).
        /// </summary>
        internal static TokenGrant Read(byte[] body, string path)
        {
            if (!Fields.TryReadBody(body, out var grant) || string.IsNullOrEmpty(grant.AccessToken))
                throw new LcException(LcErrorKind.InvalidResponse, $"The token endpoint /{path} answered without an access_token.", method: "POST", path: "/" + path);
            // No lifetime given: the contract's "about 24 h" is not assumed; renew after an hour, or on a 401.
            grant.Lifetime = grant._expiresIn is long s && s > 0 ? TimeSpan.FromSeconds(Math.Min(s, 400L * 24 * 3600)) : TimeSpan.FromHours(1);
            return grant;
        }
    }
}
