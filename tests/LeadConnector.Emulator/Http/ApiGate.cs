using LeadConnector.Emulator.Routes;

namespace LeadConnector.Emulator.Http;

/// <summary>The authenticated caller: the location the token is scoped to, and the token.</summary>
internal sealed record ApiCaller(string LocationId, string Token, TokenKind Kind = TokenKind.PrivateIntegration, string? CompanyId = null)
{
    /// <summary>
    /// The caller for a request's <c>Authorization: Bearer</c> token, or null when missing, unknown or expired.
    /// An agency token's caller has the location "company:&lt;companyId&gt;", which no API route accepts.
    /// </summary>
    public static ApiCaller? FromRequest(HttpRequest request)
    {
        var state = request.HttpContext.RequestServices.GetRequiredService<EmulatorState>();
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        var entry = state.Tokens.Find(token);
        if (entry is null || entry.IsExpired(state.Clock.GetUtcNow())) return null;
        var location = entry.Kind == TokenKind.Agency ? $"company:{entry.CompanyId}" : entry.LocationId;
        return new ApiCaller(location, token, entry.Kind, entry.CompanyId);
    }

    /// <summary>The caller set by <see cref="ApiGate"/>; only valid inside API route handlers.</summary>
    public static ApiCaller Of(HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("No authenticated caller.");
}

/// <summary>
/// What the API does before any route: authentication (401, not counted), rate limiting (headers, 429),
/// then the Version header (400). A request that passes is marked Processed in the request log.
/// </summary>
internal sealed class ApiGate(RequestDelegate next, EmulatorState state)
{
    /// <summary>The API versions the OpenAPI files and the source documents name.</summary>
    public static readonly string[] SupportedVersions = ["2021-04-15", "2021-07-28", "2023-02-21"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (ControlRoutes.IsControlPath(context.Request.Path))
        {
            await next(context);
            return;
        }
        // The network's latency (RateLimitSettings.LatencyMs): half on the way here, half on the way back.
        var latency = state.RateLimit.LatencyMs;
        if (latency > 0) await Task.Delay(latency / 2, context.RequestAborted);
        if (OAuthRoutes.IsTokenPath(context.Request.Path))
        {
            if (latency > 0) await Task.Delay(latency - latency / 2, context.RequestAborted);
            // POST /oauth/token authenticates with client credentials in the body; no bearer, no Version header.
            context.Features.Get<RecordedRequest>()?.Processed = true;
            await next(context);
            return;
        }

        var caller = ApiCaller.FromRequest(context.Request);
        if (caller is null)
        {
            if (latency > 0) await Task.Delay(latency - latency / 2, context.RequestAborted);
            await ApiErrors.Unauthorized().ExecuteAsync(context);
            return;
        }

        var decision = state.Limiter.Acquire(caller);
        context.Features.Get<RecordedRequest>()?.CountedAt = DateTimeOffset.UtcNow;
        if (latency > 0) await Task.Delay(latency - latency / 2, context.RequestAborted);
        if (!decision.Allowed)
        {
            await RateLimiter.WriteTooManyRequestsAsync(context, decision);
            return;
        }
        RateLimiter.WriteHeaders(context.Response, decision);

        var version = context.Request.Headers["Version"].ToString();
        if (string.IsNullOrWhiteSpace(version))
        {
            await ApiErrors.BadRequest("Version header was not found").ExecuteAsync(context);
            return;
        }
        if (!SupportedVersions.Contains(version.Trim(), StringComparer.Ordinal))
        {
            await ApiErrors.BadRequest($"Version header is invalid. Supported versions: {string.Join(", ", SupportedVersions)}").ExecuteAsync(context);
            return;
        }

        context.Features.Set(caller);
        context.Features.Get<RecordedRequest>()?.Processed = true;
        await next(context);
    }
}
