using System;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>What a token endpoint answered.</summary>
    internal sealed class TokenGrant
    {
        public string AccessToken = "";
        public TimeSpan Lifetime;
        public string? RefreshToken;
        public string? LocationId;

        internal static TokenGrant Read(JsonElement body, string path)
        {
            var access = JsonRead.String(body, "access_token");
            if (string.IsNullOrEmpty(access))
                throw new LcException(LcErrorKind.InvalidResponse, $"The token endpoint /{path} answered without an access_token.", method: "POST", path: "/" + path);
            var seconds = JsonRead.Long(body, "expires_in");
            return new TokenGrant
            {
                AccessToken = access!,
                // No lifetime given: the contract's "about 24 h" is not assumed; renew after an hour, or on a 401.
                Lifetime = seconds is long s && s > 0 ? TimeSpan.FromSeconds(Math.Min(s, 400L * 24 * 3600)) : TimeSpan.FromHours(1),
                RefreshToken = JsonRead.String(body, "refresh_token"),
                LocationId = JsonRead.String(body, "locationId"),
            };
        }
    }
}
