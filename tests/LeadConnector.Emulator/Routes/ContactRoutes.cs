using System.Globalization;
using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>Contacts: get by id, search (POST /contacts/search) and the deprecated list (GET /contacts/).</summary>
internal static class ContactRoutes
{
    public const int SearchDefaultLimit = 20;
    public const int SearchMaxLimit = 500;
    public const int ListDefaultLimit = 20;
    public const int ListMaxLimit = 100;

    private static readonly string[] FilterFields =
        ["id", "firstName", "lastName", "email", "phone", "companyName", "tags", "type", "source", "assignedTo", "contactName"];
    private static readonly string[] Operators = ["eq", "not_eq", "contains", "not_contains", "exists", "not_exists"];

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;

        app.MapGet("/contacts/{contactId}", (HttpContext context, string contactId) =>
        {
            var contact = data.GetContact(contactId);
            if (contact is null) return ApiErrors.NotFound("Contact not found");
            if (contact.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            return ApiJson.Ok(new { contact = Dtos.ForContact(contact) });
        });

        app.MapPost("/contacts/search", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("locationId", "pageLimit", "page", "searchAfter", "query", "filters", "sort");
            var locationId = body.RequiredString("locationId");
            var pageLimit = body.OptionalCount("pageLimit") ?? SearchDefaultLimit;
            if (pageLimit is < 1 or > SearchMaxLimit) body.Errors.Add($"pageLimit must be within 1..{SearchMaxLimit}");
            var page = body.OptionalCount("page");
            if (page < 1) body.Errors.Add("page must not be less than 1");
            var text = body.OptionalString("query");
            object[]? searchAfter = null;
            if (body.Raw("searchAfter") is { } sa)
            {
                if (sa.ValueKind != JsonValueKind.Array || sa.GetArrayLength() != 2 || sa[0].ValueKind != JsonValueKind.Number
                    || sa[1].ValueKind != JsonValueKind.String)
                    body.Errors.Add("searchAfter must be the searchAfter array of the last contact of the previous page");
                else searchAfter = [sa[0].GetInt64(), sa[1].GetString()!];
            }
            if (page is not null && searchAfter is not null) body.Errors.Add("page and searchAfter cannot be used together");
            var filters = ParseFilters(body.Raw("filters"), body.Errors);
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

            // Newest first, ties by id: the order searchAfter = [dateAdded, id] pages through.
            var matches = data.Contacts(locationId!)
                .Where(c => MatchesText(c, text) && filters.All(f => f(c)))
                .OrderByDescending(c => c.DateAdded).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            IEnumerable<StoredContact> rest = matches;
            if (searchAfter is not null)
            {
                var (ms, id) = ((long)searchAfter[0], (string)searchAfter[1]);
                rest = matches.Where(c => c.DateAdded.ToUnixTimeMilliseconds() < ms
                    || c.DateAdded.ToUnixTimeMilliseconds() == ms && string.CompareOrdinal(c.Id, id) > 0);
            }
            else if (page is int p) rest = matches.Skip((p - 1) * pageLimit);
            return ApiJson.Ok(new
            {
                contacts = rest.Take(pageLimit).Select(c => Dtos.ForContact(c, withSearchAfter: true)).ToList(),
                total = matches.Count,
            });
        });

        app.MapGet("/contacts", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var errors = new List<string>();
            foreach (var key in query.Keys)
                if (key is not ("locationId" or "query" or "limit" or "startAfterId" or "startAfter"))
                    errors.Add($"property {key} should not exist");
            var locationId = query["locationId"].ToString();
            if (locationId.Length == 0) errors.Add("locationId should not be empty");
            var limit = ListDefaultLimit;
            if (query.TryGetValue("limit", out var limitText))
            {
                if (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit)) errors.Add("limit must be an integer number");
                else if (limit is < 1 or > ListMaxLimit) errors.Add($"limit must not be greater than {ListMaxLimit}");
            }
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

            var text = query["query"].ToString();
            var matches = data.Contacts(locationId).Where(c => MatchesText(c, text))
                .OrderByDescending(c => c.DateAdded).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            var start = 0;
            var startAfterId = query["startAfterId"].ToString();
            if (startAfterId.Length > 0)
            {
                var index = matches.FindIndex(c => c.Id == startAfterId);
                if (index < 0) return ApiErrors.BadRequest($"Contact {startAfterId} not found");
                start = index + 1;
            }
            var pageItems = matches.Skip(start).Take(limit).ToList();
            var last = pageItems.LastOrDefault();
            var more = start + pageItems.Count < matches.Count;
            return ApiJson.Ok(new
            {
                contacts = pageItems.Select(c => Dtos.ForContact(c)).ToList(),
                count = matches.Count,
                meta = new
                {
                    total = matches.Count,
                    startAfterId = more ? last?.Id : null,
                    startAfter = more && last is not null ? ApiJson.Ms(last.DateAdded) : (long?)null,
                    currentPage = start / limit + 1,
                    nextPage = more ? start / limit + 2 : (int?)null,
                },
            });
        });
    }

    private static bool MatchesText(StoredContact c, string? text) =>
        string.IsNullOrEmpty(text) ||
        new[] { c.ContactName, c.CompanyName, c.Email, c.Phone }.Any(f => f?.Contains(text, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>filters: [{field, operator, value}] (all must match). Unknown fields or operators are 422s.</summary>
    private static List<Func<StoredContact, bool>> ParseFilters(JsonElement? raw, List<string> errors)
    {
        var result = new List<Func<StoredContact, bool>>();
        if (raw is null) return result;
        if (raw.Value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("filters must be an array");
            return result;
        }
        foreach (var f in raw.Value.EnumerateArray())
        {
            if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("field", out var fieldEl) || fieldEl.ValueKind != JsonValueKind.String
                || !f.TryGetProperty("operator", out var opEl) || opEl.ValueKind != JsonValueKind.String)
            {
                errors.Add("each filter must have a field and an operator");
                continue;
            }
            var field = fieldEl.GetString()!;
            var op = opEl.GetString()!;
            if (!FilterFields.Contains(field, StringComparer.Ordinal)) { errors.Add($"filter field {field} is not supported"); continue; }
            if (!Operators.Contains(op, StringComparer.Ordinal)) { errors.Add($"filter operator {op} is not supported"); continue; }
            var values = !f.TryGetProperty("value", out var v) ? [] : v.ValueKind switch
            {
                JsonValueKind.String => [v.GetString()!],
                JsonValueKind.Array => v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray(),
                _ => Array.Empty<string>(),
            };
            if (op is not ("exists" or "not_exists") && values.Length == 0) { errors.Add($"filter {field} {op} needs a value"); continue; }
            result.Add(c =>
            {
                var actual = Values(c, field);
                return op switch
                {
                    "eq" => values.Any(x => actual.Contains(x, StringComparer.OrdinalIgnoreCase)),
                    "not_eq" => !values.Any(x => actual.Contains(x, StringComparer.OrdinalIgnoreCase)),
                    "contains" => values.Any(x => actual.Any(a => a.Contains(x, StringComparison.OrdinalIgnoreCase))),
                    "not_contains" => !values.Any(x => actual.Any(a => a.Contains(x, StringComparison.OrdinalIgnoreCase))),
                    "exists" => actual.Length > 0,
                    _ => actual.Length == 0,
                };
            });
        }
        return result;
    }

    private static string[] Values(StoredContact c, string field)
    {
        var value = field switch
        {
            "id" => c.Id, "firstName" => c.FirstName, "lastName" => c.LastName, "email" => c.Email, "phone" => c.Phone,
            "companyName" => c.CompanyName, "type" => c.Type, "source" => c.Source, "assignedTo" => c.AssignedTo,
            "contactName" => c.ContactName, _ => null,
        };
        return field == "tags" ? c.Tags : string.IsNullOrEmpty(value) ? [] : [value];
    }
}
