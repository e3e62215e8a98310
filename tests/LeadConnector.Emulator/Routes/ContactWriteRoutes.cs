using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// Contact writes: create (POST /contacts/), upsert (POST /contacts/upsert), update (PUT /contacts/{id}), delete, the
/// duplicate look-up (GET /contacts/search/duplicate), and the control setting of a location's "Allow Duplicate Contact"
/// (GET/PUT /_emulator/contacts/settings?locationId=..., body { allowDuplicateContact }; off by default, reset by a reset).
/// </summary>
internal static partial class ContactWriteRoutes
{
    private static readonly string[] CreateMembers =
    [
        "firstName", "lastName", "name", "email", "locationId", "gender", "phone", "address1", "city", "state", "postalCode", "website",
        "timezone", "dnd", "dndSettings", "inboundDndSettings", "tags", "customFields", "source", "dateOfBirth", "country", "companyName",
        "assignedTo",
    ];
    private static readonly string[] UpsertMembers = [.. CreateMembers, "createNewIfDuplicateAllowed"];
    private static readonly string[] UpdateMembers =
    [
        "firstName", "lastName", "name", "email", "phone", "address1", "city", "state", "postalCode", "website", "timezone", "dnd",
        "dndSettings", "inboundDndSettings", "tags", "customFields", "source", "dateOfBirth", "country", "assignedTo",
    ];
    private static readonly string[] DndChannels = ["Call", "Email", "SMS", "WhatsApp", "GMB", "FB"];

    public const string DuplicateMessage = "This location does not allow duplicated contacts.";

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ()\-.]{7,20}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(?:(\d{4})([/\-._])(\d{2})\2(\d{2})|(\d{2})([/\-._])(\d{2})\6(\d{4}))$")]
    private static partial Regex DatePattern();

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapPost("/contacts", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(CreateMembers);
            var locationId = body.RequiredString("locationId");
            var change = ReadFields(body);
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var contact = new StoredContact { LocationId = locationId!, Source = "public api" };
            change(contact);
            var (created, duplicate) = data.CreateContact(contact, clock.GetUtcNow());
            if (duplicate is { } d) return Duplicate(d.Contact, d.Field);
            return ApiJson.Ok(new { contact = ContactDtos.For(created!) }, StatusCodes.Status201Created);
        });

        app.MapPost("/contacts/upsert", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(UpsertMembers);
            var locationId = body.RequiredString("locationId");
            var createNew = body.OptionalBoolean("createNewIfDuplicateAllowed") ?? false;
            var change = ReadFields(body);
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var contact = new StoredContact { LocationId = locationId!, Source = "public api" };
            change(contact);
            var (result, isNew) = data.UpsertContact(contact, change, createNew, clock.GetUtcNow());
            return ApiJson.Ok(new { @new = isNew, contact = ContactDtos.For(result), traceId = Guid.NewGuid().ToString() });
        });

        app.MapPut("/contacts/{contactId}", async (HttpContext context, string contactId) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(UpdateMembers);
            var change = ReadFields(body);
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            var existing = data.GetContact(contactId);
            if (existing is null) return ApiErrors.NotFound("Contact not found");
            if (existing.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var updated = data.UpdateContact(contactId, clock.GetUtcNow(), change);
            return updated is null ? ApiErrors.NotFound("Contact not found") : ApiJson.Ok(new { succeded = true, contact = ContactDtos.For(updated) });
        });

        app.MapDelete("/contacts/{contactId}", (HttpContext context, string contactId) =>
        {
            var existing = data.GetContact(contactId);
            if (existing is null) return ApiErrors.NotFound("Contact not found");
            if (existing.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            return data.DeleteContact(contactId) ? ApiJson.Ok(new { succeded = true }) : ApiErrors.NotFound("Contact not found");
        });

        app.MapGet("/contacts/search/duplicate", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var errors = new List<string>();
            foreach (var key in query.Keys)
                if (key is not ("locationId" or "number" or "email")) errors.Add($"property {key} should not exist");
            var locationId = query["locationId"].ToString();
            if (locationId.Length == 0) errors.Add("locationId should not be empty");
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var email = query["email"].ToString();
            var number = query["number"].ToString();
            var found = data.FindDuplicate(locationId, email.Length == 0 ? null : email, number.Length == 0 ? null : number);
            return found is { } f
                ? ApiJson.Ok(new { contact = ContactDtos.For(f.Contact) })
                : Results.Text("{\"contact\":null}", ApiJson.ContentType, null, StatusCodes.Status200OK);
        });

        app.MapGet("/_emulator/contacts/settings", (string? locationId) =>
            ApiJson.Control(new { locationId = locationId ?? Seed.AlphaLocation, allowDuplicateContact = data.AllowsDuplicateContacts(locationId ?? Seed.AlphaLocation) }));
        app.MapPut("/_emulator/contacts/settings", async (HttpContext context, string? locationId) =>
        {
            var location = locationId ?? Seed.AlphaLocation;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                foreach (var p in document.RootElement.EnumerateObject())
                {
                    if (p.Name.Equals("allowDuplicateContact", StringComparison.OrdinalIgnoreCase)) data.SetAllowDuplicateContacts(location, p.Value.GetBoolean());
                    else throw new JsonException($"Unknown contact setting '{p.Name}'.");
                }
                return ApiJson.Control(new { locationId = location, allowDuplicateContact = data.AllowsDuplicateContacts(location) });
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return ApiJson.Control(new { error = ex.Message }, StatusCodes.Status400BadRequest);
            }
        });
    }

    /// <summary>The 400 of a create the location refuses as a duplicate: the match's id in meta (as the live API answers).</summary>
    private static IResult Duplicate(StoredContact match, string field) => ApiJson.Ok(new
    {
        statusCode = 400,
        message = DuplicateMessage,
        error = "Bad Request",
        meta = new { contactName = match.ContactName, contactId = match.Id, matchingField = field },
        traceId = Guid.NewGuid().ToString(),
    }, StatusCodes.Status400BadRequest);

    /// <summary>Reads and checks the contact fields of a body (the members present); returns the change that applies them.</summary>
    private static Action<StoredContact> ReadFields(JsonBody body)
    {
        var changes = new List<Action<StoredContact>>();
        void Text(string name, Action<StoredContact, string?> set)
        {
            if (body.Raw(name) is not null && body.OptionalString(name) is string v) changes.Add(c => set(c, v.Length == 0 ? null : v));
        }
        Text("firstName", (c, v) => c.FirstName = v);
        Text("lastName", (c, v) => c.LastName = v);
        Text("name", (c, v) => c.FullName = v);
        Text("gender", (c, v) => c.Gender = v);
        Text("address1", (c, v) => c.Address1 = v);
        Text("city", (c, v) => c.City = v);
        Text("state", (c, v) => c.State = v);
        Text("postalCode", (c, v) => c.PostalCode = v);
        Text("website", (c, v) => c.Website = v);
        Text("timezone", (c, v) => c.Timezone = v);
        Text("source", (c, v) => c.Source = v);
        Text("country", (c, v) => c.Country = v);
        Text("companyName", (c, v) => c.CompanyName = v);
        Text("assignedTo", (c, v) => c.AssignedTo = v);
        if (body.Raw("email") is not null && body.OptionalString("email") is string email)
        {
            if (email.Length > 0 && !EmailPattern().IsMatch(email)) body.Errors.Add("email must be an email");
            else changes.Add(c => c.Email = email.Length == 0 ? null : email.ToLowerInvariant());
        }
        if (body.Raw("phone") is not null && body.OptionalString("phone") is string phone)
        {
            if (phone.Length > 0 && !PhonePattern().IsMatch(phone)) body.Errors.Add("phone must be a valid phone number");
            else changes.Add(c => c.Phone = DataStore.NormalizePhone(phone));
        }
        if (body.Raw("dateOfBirth") is not null && body.OptionalString("dateOfBirth") is string dob)
        {
            var m = DatePattern().Match(dob);
            DateOnly date = default;
            var ok = m.Success && (m.Groups[1].Success
                ? DateOnly.TryParseExact($"{m.Groups[1]}-{m.Groups[3]}-{m.Groups[4]}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
                : DateOnly.TryParseExact($"{m.Groups[8]}-{m.Groups[5]}-{m.Groups[7]}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date));
            if (!ok) body.Errors.Add("dateOfBirth must be a valid date in one of the formats YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY");
            else changes.Add(c => c.DateOfBirth = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (body.OptionalBoolean("dnd") is bool dnd) changes.Add(c => c.Dnd = dnd);
        if (body.Raw("tags") is { } tagsRaw)
        {
            if (tagsRaw.ValueKind != JsonValueKind.Array) body.Errors.Add("tags must be an array");
            else
            {
                var tags = body.OptionalStringArray("tags");
                changes.Add(c => c.Tags = [.. tags.Select(t => t.Trim().ToLowerInvariant()).Distinct()]);
            }
        }
        if (body.Raw("customFields") is { } cf)
        {
            if (cf.ValueKind != JsonValueKind.Array) body.Errors.Add("customFields must be an array");
            else
            {
                var fields = new List<(string, string)>();
                var i = 0;
                foreach (var f in cf.EnumerateArray())
                {
                    var at = $"customFields.{i++}";
                    if (f.ValueKind != JsonValueKind.Object) { body.Errors.Add($"{at} must be an object"); continue; }
                    foreach (var p in f.EnumerateObject())
                        if (p.Name is not ("id" or "key" or "field_value")) body.Errors.Add($"{at}.property {p.Name} should not exist");
                    var name = f.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
                        : f.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
                    if (string.IsNullOrEmpty(name)) { body.Errors.Add($"{at}: pass either id or key of the custom field"); continue; }
                    if (!f.TryGetProperty("field_value", out var value)) { body.Errors.Add($"{at}.field_value should not be empty"); continue; }
                    fields.Add((name, value.GetRawText()));
                }
                changes.Add(c => { foreach (var (k, v) in fields) c.CustomFields[k] = v; });
            }
        }
        if (body.Raw("dndSettings") is { } ds)
        {
            if (ds.ValueKind != JsonValueKind.Object) body.Errors.Add("dndSettings must be an object");
            else
            {
                foreach (var p in ds.EnumerateObject())
                {
                    if (!DndChannels.Contains(p.Name)) body.Errors.Add($"dndSettings.property {p.Name} should not exist");
                    else CheckStatus(body, p.Value, $"dndSettings.{p.Name}", ["active", "inactive", "permanent"], true);
                }
                var raw = ds.GetRawText();
                changes.Add(c => c.DndSettings = raw);
            }
        }
        if (body.Raw("inboundDndSettings") is { } ids)
        {
            if (ids.ValueKind != JsonValueKind.Object) body.Errors.Add("inboundDndSettings must be an object");
            else
            {
                foreach (var p in ids.EnumerateObject())
                {
                    if (p.Name != "all") body.Errors.Add($"inboundDndSettings.property {p.Name} should not exist");
                    else CheckStatus(body, p.Value, "inboundDndSettings.all", ["active", "inactive"], false);
                }
                var raw = ids.GetRawText();
                changes.Add(c => c.InboundDndSettings = raw);
            }
        }
        return c => { foreach (var change in changes) change(c); };
    }

    private static void CheckStatus(JsonBody body, JsonElement v, string at, string[] statuses, bool withCode)
    {
        if (v.ValueKind != JsonValueKind.Object) { body.Errors.Add($"{at} must be an object"); return; }
        foreach (var p in v.EnumerateObject())
            if (p.Name is not ("status" or "message") && !(withCode && p.Name == "code")) body.Errors.Add($"{at}.property {p.Name} should not exist");
        var status = v.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (status is null || !statuses.Contains(status)) body.Errors.Add($"{at}.status must be one of the following values: {string.Join(", ", statuses)}");
    }
}
