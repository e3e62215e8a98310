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
        control.MapDelete("/requests", () =>
        {
            state.Requests.Clear();
            return ApiJson.Control(new { status = "cleared" });
        });

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
                default: throw new JsonException($"Unknown rate-limit setting '{p.Name}'.");
            }
        }
    }

    private static IResult Problem(string message) => ApiJson.Control(new { error = message }, StatusCodes.Status400BadRequest);
}
