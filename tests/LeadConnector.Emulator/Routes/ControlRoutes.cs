using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// The /_emulator control endpoints (no auth, not logged, not rate-limited, no faults) used by the Pester tests and
/// the demo to drive what the in-process tests drive through <see cref="EmulatorState"/>.
/// </summary>
internal static class ControlRoutes
{
    public const string Prefix = "/_emulator";

    public static bool IsControlPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var control = app.MapGroup(Prefix);

        control.MapGet("/health", () => ApiJson.Control(new { status = "ok" }));

        control.MapPost("/reset", () =>
        {
            state.Reset();
            return ApiJson.Control(new { status = "reset" });
        });

        control.MapGet("/faults", () => ApiJson.Control(state.Faults.Rules));
        control.MapPost("/faults", async (HttpContext context) =>
        {
            try
            {
                var rule = await JsonSerializer.DeserializeAsync<FaultRule>(context.Request.Body, ApiJson.Options, context.RequestAborted)
                    ?? throw new JsonException("A fault rule is required.");
                state.Faults.Add(rule);
                return ApiJson.Control(state.Faults.Rules);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                return Problem(ex.Message);
            }
        });
        control.MapDelete("/faults", () =>
        {
            state.Faults.Clear();
            return ApiJson.Control(state.Faults.Rules);
        });

        control.MapGet("/requests", () => ApiJson.Control(state.Requests.Snapshot()));
        // How many API requests arrived (optionally of one method and path prefix): for tests that wait for a job to move
        // without fetching the whole log each time.
        control.MapGet("/requests/count", (string? method, string? pathPrefix) => ApiJson.Control(new
        {
            count = state.Requests.Snapshot().Count(r => (method == null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase))
                && (pathPrefix == null || r.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))),
        }));
        control.MapDelete("/requests", () =>
        {
            state.Requests.Clear();
            return ApiJson.Control(new { status = "cleared" });
        });

        MapTenantsAndSettings(control, state);

        control.MapGet("/ratelimit", () => ApiJson.Control(state.RateLimit));
        control.MapPut("/ratelimit", async (HttpContext context) =>
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                ApplyRateLimit(state.RateLimit, document.RootElement);
                return ApiJson.Control(state.RateLimit);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                return Problem(ex.Message);
            }
        });
    }

    private static void MapTenantsAndSettings(RouteGroupBuilder control, EmulatorState state)
    {
        control.MapGet("/locations", () => ApiJson.Control(state.Tokens.Locations));
        control.MapPost("/locations", (Delegate)((HttpContext context) => WithJson(context, body =>
        {
            string? locationId = null, token = null;
            var conversations = 0;
            var agency = false;
            foreach (var p in body.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "locationid": locationId = p.Value.GetString(); break;
                    case "token": token = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString(); break;
                    case "conversations": conversations = p.Value.GetInt32(); break;
                    case "agency": agency = p.Value.GetBoolean(); break;
                    default: throw new JsonException($"Unknown member '{p.Name}'.");
                }
            }
            if (string.IsNullOrWhiteSpace(locationId)) throw new ArgumentException("locationId is required.");
            var issued = state.AddLocation(locationId, token, conversations, agency);
            return ApiJson.Control(new { locationId, token = issued });
        })));

        control.MapGet("/settings", () => ApiJson.Control(Settings(state)));
        control.MapPut("/settings", (Delegate)((HttpContext context) => WithJson(context, body =>
        {
            // Validate everything first, then apply: a refused body changes nothing.
            MessageListShape? shape = null;
            foreach (var p in body.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "messagelistshape":
                        shape = Enum.TryParse<MessageListShape>(p.Value.GetString(), ignoreCase: true, out var s) && Enum.IsDefined(s)
                            ? s : throw new ArgumentException($"messageListShape must be 'nested' or 'flat', not '{p.Value}'.");
                        break;
                    default: throw new JsonException($"Unknown setting '{p.Name}'.");
                }
            }
            if (shape is { } value) state.MessageListShape = value;
            return ApiJson.Control(Settings(state));
        })));

        control.MapGet("/oauth", () => ApiJson.Control(OAuthView(state)));
        control.MapPut("/oauth", (Delegate)((HttpContext context) => WithJson(context, body =>
        {
            TimeSpan? lifetime = null;
            foreach (var p in body.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "accesstokenlifetimeseconds": lifetime = TimeSpan.FromSeconds(p.Value.GetDouble()); break;
                    default: throw new JsonException($"Unknown OAuth setting '{p.Name}'.");
                }
            }
            if (lifetime is { } l) state.OAuth.AccessTokenLifetime = l;
            return ApiJson.Control(OAuthView(state));
        })));
        control.MapPost("/oauth/refresh-tokens", (Delegate)((HttpContext context) => WithJson(context, body =>
        {
            string? locationId = null;
            foreach (var p in body.EnumerateObject())
            {
                if (p.Name.Equals("locationId", StringComparison.OrdinalIgnoreCase)) locationId = p.Value.GetString();
                else throw new JsonException($"Unknown member '{p.Name}'.");
            }
            if (string.IsNullOrWhiteSpace(locationId)) throw new ArgumentException("locationId is required.");
            if (!state.Tokens.LocationExists(locationId)) throw new ArgumentException($"Unknown location '{locationId}'.");
            return ApiJson.Control(new { locationId, refreshToken = state.OAuth.MintRefreshToken(locationId) });
        })));
        control.MapPost("/oauth/expire-access-tokens", () =>
        {
            state.Tokens.ExpireAccessTokens(state.Clock.GetUtcNow());
            return ApiJson.Control(OAuthView(state));
        });
    }

    private static object Settings(EmulatorState state) =>
        new { messageListShape = state.MessageListShape.ToString().ToLowerInvariant() };

    private static object OAuthView(EmulatorState state) => new
    {
        clientId = Seed.OAuthClientId,
        accessTokenLifetimeSeconds = state.OAuth.AccessTokenLifetime.TotalSeconds,
        refreshCount = state.OAuth.RefreshCount,
        failedRefreshCount = state.OAuth.FailedRefreshCount,
        locationTokenCount = state.OAuth.LocationTokenCount,
    };

    /// <summary>Parses a JSON object body and runs <paramref name="handle"/>; bad input is a 400 {error}.</summary>
    private static async Task<IResult> WithJson(HttpContext context, Func<JsonElement, IResult> handle)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("A JSON object is required.");
            return handle(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return Problem(ex.Message);
        }
    }

    /// <summary>Applies the members present in the body (case-insensitive); absent members keep their value.</summary>
    private static void ApplyRateLimit(RateLimitSettings settings, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new JsonException("A JSON object is required.");
        foreach (var p in body.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "max": settings.Max = p.Value.GetInt32(); break;
                case "intervalms": settings.IntervalMs = p.Value.GetInt32(); break;
                case "dailylimit": settings.DailyLimit = p.Value.GetInt32(); break;
                case "dailyremainingoverride":
                    settings.DailyRemainingOverride = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetInt32(); break;
                case "sendheaders": settings.SendHeaders = p.Value.GetBoolean(); break;
                case "sendretryafter": settings.SendRetryAfter = p.Value.GetBoolean(); break;
                case "window": settings.Window = Enum.Parse<RateLimitWindow>(p.Value.GetString() ?? "", ignoreCase: true); break;
                case "latencyms": settings.LatencyMs = p.Value.GetInt32(); break;
                default: throw new JsonException($"Unknown rate-limit setting '{p.Name}'.");
            }
        }
    }

    private static IResult Problem(string message) => ApiJson.Control(new { error = message }, StatusCodes.Status400BadRequest);
}
