using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// Reads a JSON object request body and validates its members the way the API's validation pipe does:
/// every failing member adds a message; unknown members are "property X should not exist".
/// </summary>
internal sealed class JsonBody
{
    private readonly JsonElement _root;

    private JsonBody(JsonElement root) => _root = root;

    public List<string> Errors { get; } = [];

    /// <summary>Parses the body; an empty body is an empty object; anything that is not a JSON object is a 400.</summary>
    public static async Task<(JsonBody? Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) text = "{}";
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, ApiErrors.BadRequest("The request body must be a JSON object"));
            return (new JsonBody(document.RootElement.Clone()), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiErrors.BadRequest($"Unexpected token in JSON: {ex.Message}"));
        }
    }

    public void RejectUnknown(params string[] allowed)
    {
        foreach (var property in _root.EnumerateObject())
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                Errors.Add($"property {property.Name} should not exist");
    }

    /// <summary>A required non-empty string member.</summary>
    public string? RequiredString(string name)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0)
        {
            Errors.Add($"{name} should not be empty");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add($"{name} must be a string");
            return null;
        }
        return value.GetString();
    }

    /// <summary>An optional integer member, at least 0.</summary>
    public int? OptionalCount(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Errors.Add($"{name} must be a number conforming to the specified constraints");
            return null;
        }
        if (number < 0)
        {
            Errors.Add($"{name} must not be less than 0");
            return null;
        }
        return number;
    }

    public bool? OptionalBoolean(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Errors.Add($"{name} must be a boolean value");
        return null;
    }

    /// <summary>An optional object member, returned as raw JSON.</summary>
    public string? OptionalObject(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Object) return value.GetRawText();
        Errors.Add($"{name} must be an object");
        return null;
    }

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Errors.Add($"{name} must be a string");
        return null;
    }

    /// <summary>An optional array of strings (a single string is accepted as a one-item array).</summary>
    public string[] OptionalStringArray(string name)
    {
        if (!TryGet(name, out var value)) return [];
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        Errors.Add($"each value in {name} must be a string");
        return [];
    }

    public double? OptionalNumber(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        Errors.Add($"{name} must be a number conforming to the specified constraints");
        return null;
    }

    /// <summary>The raw member (not null), for shapes the helpers do not cover.</summary>
    public JsonElement? Raw(string name) => TryGet(name, out var value) ? value : null;

    /// <summary>Present and not null (null counts as absent, as with the API's optional members).</summary>
    private bool TryGet(string name, out JsonElement value) =>
        _root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
