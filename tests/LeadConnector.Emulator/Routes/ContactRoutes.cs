using System.Globalization;
using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>Contacts: get by id, search (POST /contacts/search: filters, sort, searchAfter) and the deprecated list (GET /contacts/).
/// Writes and the duplicate look-up are in <see cref="ContactWriteRoutes"/>.</summary>
internal static class ContactRoutes
{
    public const int SearchDefaultLimit = 20;
    public const int SearchMaxLimit = 500;
    public const int ListDefaultLimit = 20;
    public const int ListMaxLimit = 100;

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        ContactWriteRoutes.Map(app, state);

        app.MapGet("/contacts/{contactId}", (HttpContext context, string contactId) =>
        {
            var contact = data.GetContact(contactId);
            if (contact is null) return ApiErrors.NotFound("Contact not found");
            if (contact.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            return ApiJson.Ok(new { contact = ContactDtos.For(contact) });
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
            var sortKeys = ContactSearchOrder.Parse(body.Raw("sort"), body.Errors);
            object[]? searchAfter = null;
            if (body.Raw("searchAfter") is { } sa)
            {
                searchAfter = sortKeys.ReadCursor(sa);
                if (searchAfter is null) body.Errors.Add("searchAfter must be the searchAfter array of the last contact of the previous page");
            }
            if (page is not null && searchAfter is not null) body.Errors.Add("page and searchAfter cannot be used together");
            var filters = ContactFilters.Parse(body.Raw("filters"), body.Errors);
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

            // Default order: newest first, ties by id (searchAfter = [dateAdded, id]); with sort: its keys, then id.
            var matches = sortKeys.Order(data.Contacts(locationId!).Where(c => MatchesText(c, text) && filters(c))).ToList();
            IEnumerable<StoredContact> rest = matches;
            if (searchAfter is not null) rest = matches.Where(c => sortKeys.After(c, searchAfter));
            else if (page is int p) rest = matches.Skip((p - 1) * pageLimit);
            return ApiJson.Ok(new
            {
                contacts = rest.Take(pageLimit).Select(c => ContactDtos.For(c, sortKeys.Cursor(c))).ToList(),
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
                contacts = pageItems.Select(c => ContactDtos.For(c)).ToList(),
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

    internal static bool MatchesText(StoredContact c, string? text) =>
        string.IsNullOrEmpty(text) ||
        new[] { c.ContactName, c.CompanyName, c.Email, c.Phone }.Any(f => f?.Contains(text, StringComparison.OrdinalIgnoreCase) == true);
}
