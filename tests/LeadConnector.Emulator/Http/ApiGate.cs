using LeadConnector.Emulator.Routes;

namespace LeadConnector.Emulator.Http;

/// <summary>The authenticated caller: the location the token is scoped to, and the token.</summary>
internal sealed record ApiCaller(string LocationId, string Token)
{
    /// <summary>The caller for a request's <c>Authorization: Bearer</c> token, or null when missing or unknown.</summary>
    public static ApiCaller? FromRequest(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        return Seed.Tokens.TryGetValue(token, out var location) ? new ApiCaller(location, token) : null;
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
    public async Task InvokeAsync(HttpContext context)
    {
        if (ControlRoutes.IsControlPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var caller = ApiCaller.FromRequest(context.Request);
        if (caller is null)
        {
            await ApiErrors.Unauthorized().ExecuteAsync(context);
            return;
        }

        var decision = state.Limiter.Acquire(caller);
        if (!decision.Allowed)
        {
            await RateLimiter.WriteTooManyRequestsAsync(context, decision);
            return;
        }
        RateLimiter.WriteHeaders(context.Response, decision);

        if (string.IsNullOrWhiteSpace(context.Request.Headers["Version"]))
        {
            await ApiErrors.BadRequest("Version header was not found").ExecuteAsync(context);
            return;
        }

        context.Features.Set(caller);
        context.Features.Get<RecordedRequest>()?.Processed = true;
        await next(context);
    }
}
