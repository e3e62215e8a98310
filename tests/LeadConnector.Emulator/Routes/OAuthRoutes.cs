using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// POST /oauth/token (refresh_token grant: expiring access tokens, rotating single-use refresh tokens) and
/// POST /oauth/locationToken (agency token -> location access token).
/// </summary>
internal static class OAuthRoutes
{
    public const string TokenPath = "/oauth/token";
    public const string Scope = "conversations.readonly conversations.write conversations/message.readonly conversations/message.write contacts.readonly contacts.write";

    public static bool IsTokenPath(PathString path) =>
        path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase) || path.Equals(TokenPath + "/", StringComparison.OrdinalIgnoreCase);

    private static IResult OAuthError(int status, string error, string description) =>
        ApiJson.Ok(new { statusCode = status, error, error_description = description, message = description }, status);

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost(TokenPath, async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType)
                return ApiErrors.Unprocessable(["The body must be application/x-www-form-urlencoded"]);
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var errors = new List<string>();
            string? Field(string name)
            {
                var v = form[name].ToString();
                return v.Length == 0 ? null : v;
            }
            var clientId = Field("client_id");
            var clientSecret = Field("client_secret");
            var grantType = Field("grant_type");
            var refreshToken = Field("refresh_token");
            var userType = Field("user_type");
            if (clientId is null) errors.Add("client_id should not be empty");
            if (clientSecret is null) errors.Add("client_secret should not be empty");
            if (grantType is null) errors.Add("grant_type should not be empty");
            else if (grantType is not ("authorization_code" or "refresh_token" or "client_credentials"))
                errors.Add("grant_type must be one of the following values: authorization_code, refresh_token, client_credentials");
            if (userType is not null and not ("Company" or "Location"))
                errors.Add("user_type must be one of the following values: Company, Location");
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);

            if (clientId != Seed.OAuthClientId || clientSecret != Seed.OAuthClientSecret)
            {
                state.OAuth.CountFailure();
                return OAuthError(401, "invalid_client", "Client authentication failed");
            }
            if (grantType != "refresh_token")
                return OAuthError(400, "unsupported_grant_type", $"The emulator only supports grant_type=refresh_token, not {grantType}");
            if (refreshToken is null)
            {
                state.OAuth.CountFailure();
                return OAuthError(400, "invalid_request", "refresh_token should not be empty");
            }
            if (userType == "Company")
            {
                state.OAuth.CountFailure();
                return OAuthError(400, "invalid_grant", "This refresh token was issued for a Location, not a Company");
            }
            var redeemed = state.OAuth.Redeem(refreshToken);
            if (redeemed is null)
                return OAuthError(400, "invalid_grant",
                    state.OAuth.WasUsed(refreshToken) ? "The refresh token has already been used" : "Invalid refresh token");

            var (locationId, companyId, grantUserType, next) = redeemed.Value;
            var (access, lifetime) = IssueAccessToken(state, locationId, companyId);
            return ApiJson.Ok(new
            {
                access_token = access,
                token_type = "Bearer",
                expires_in = (long)Math.Ceiling(lifetime.TotalSeconds),
                refresh_token = next,
                scope = Scope,
                userType = grantUserType,
                locationId,
                companyId,
                userId = Seed.OAuthUserId,
                isBulkInstallation = false,
            });
        });

        app.MapPost("/oauth/locationToken", async (HttpContext context) =>
        {
            var caller = ApiCaller.Of(context);
            if (caller.Kind != TokenKind.Agency)
                return ApiErrors.Create(401, "This route can only be accessed with an agency (company) access token", "Unauthorized");
            if (!context.Request.HasFormContentType)
                return ApiErrors.Unprocessable(["The body must be application/x-www-form-urlencoded"]);
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var companyId = form["companyId"].ToString();
            var locationId = form["locationId"].ToString();
            var errors = new List<string>();
            if (companyId.Length == 0) errors.Add("companyId should not be empty");
            if (locationId.Length == 0) errors.Add("locationId should not be empty");
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);
            if (companyId != caller.CompanyId) return ApiErrors.Create(403, "The token does not have access to this company", "Forbidden");
            if (!state.Tokens.IsAgencyLocation(locationId))
                return ApiErrors.BadRequest($"Location {locationId} does not belong to company {companyId} or the app is not installed");

            var (access, lifetime) = IssueAccessToken(state, locationId, companyId);
            state.OAuth.CountLocationToken();
            return ApiJson.Ok(new
            {
                access_token = access,
                token_type = "Bearer",
                expires_in = (long)Math.Ceiling(lifetime.TotalSeconds),
                scope = Scope,
                locationId,
                userId = Seed.OAuthUserId,
                planId = (string?)null,
            });
        });
    }

    private static (string Token, TimeSpan Lifetime) IssueAccessToken(EmulatorState state, string locationId, string companyId)
    {
        var lifetime = state.OAuth.AccessTokenLifetime;
        var token = TokenTable.NewToken("at");
        state.Tokens.Add(new TokenEntry(token, TokenKind.LocationAccess, locationId, companyId, state.Clock.GetUtcNow() + lifetime));
        return (token, lifetime);
    }
}
