using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadConnector.Emulator.Http;

/// <summary>JSON settings and date encodings shared by every response the emulator writes.</summary>
internal static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>For the /_emulator control endpoints: like <see cref="Options"/> but nulls are written.</summary>
    public static readonly JsonSerializerOptions ControlOptions = new(Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>ISO-8601 with milliseconds, UTC: 2023-10-01T12:00:00.000Z.</summary>
    public static string Iso(DateTimeOffset d) =>
        d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static long Ms(DateTimeOffset d) => d.ToUnixTimeMilliseconds();

    /// <summary>Epoch milliseconds as a string ("1628008053263").</summary>
    public static string MsString(DateTimeOffset d) => Ms(d).ToString(CultureInfo.InvariantCulture);

    public static IResult Ok(object body, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, Options, ContentType, statusCode);

    public static IResult Control(object body, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, ControlOptions, ContentType, statusCode);
}

/// <summary>The error bodies of the API. Every one carries a fresh traceId.</summary>
internal static class ApiErrors
{
    private sealed record ErrorBody(int StatusCode, object Message, string? Error, string TraceId);

    public const string TooManyRequestsMessage = "Too many requests";
    public const string DailyLimitMessage = "Daily limit reached";

    public static IResult Create(int statusCode, object message, string? error) =>
        ApiJson.Ok(new ErrorBody(statusCode, message, error, Guid.NewGuid().ToString()), statusCode);

    public static IResult BadRequest(string message) => Create(400, message, null);

    public static IResult Unauthorized() => Create(401, "Invalid token: access token is invalid", "Unauthorized");

    public static IResult Forbidden() => Create(403, "The token is not authorized for this location", "Forbidden");

    public static IResult NotFound(string message) => Create(404, message, null);

    public static IResult Unprocessable(IReadOnlyList<string> messages) => Create(422, messages, "Unprocessable Entity");

    public static IResult TooManyRequests(string message) => Create(429, message, "Too Many Requests");

    public static IResult ConversationNotFound() => NotFound("Conversation not found");

    public static IResult EmailNotFound() => NotFound("Email message not found");
}
