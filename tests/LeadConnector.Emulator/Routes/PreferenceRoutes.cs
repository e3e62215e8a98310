using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// Preference Management: custom subtypes (GET, POST /conversations/preferences/custom-subtypes, PUT .../{id}) and a
/// contact's subscription status (GET .../unsubscriptions/status, POST .../unsubscriptions/user-change). The OpenAPI
/// file documents the requests only; the answers here are: the list as { customSubtypes }, a created subtype wrapped as
/// { success, customSubtype }, an updated one unwrapped, the statuses as { contactId, locationId, subscriptions }.
/// </summary>
internal static class PreferenceRoutes
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 100;

    private static readonly string[] Channels = ["email", "sms"];
    private static readonly string[] ActionTypes = ["default", "custom", "resub_all"];
    private static readonly string[] Statuses = ["subscribed", "unsubscribed"];

    private sealed record SubtypeDto(
        string Id, string LocationId, string Name, string? Description, string Channel, string Language, bool Archived,
        [property: System.Text.Json.Serialization.JsonPropertyName("resubscription_legal_form_id")] string? ResubscriptionLegalFormId,
        string CreatedAt, string UpdatedAt);

    private sealed record RowDto(
        string Email, string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("subtype_name")] string SubtypeName,
        [property: System.Text.Json.Serialization.JsonPropertyName("subtype_id")] string? SubtypeId,
        [property: System.Text.Json.Serialization.JsonPropertyName("subtype_status")] string SubtypeStatus,
        string Channel, string? UpdatedAt);

    private static SubtypeDto Dto(StoredCustomSubtype s) => new(s.Id, s.LocationId, s.Name, s.Description, s.Channel, s.Language,
        s.Archived, s.ResubscriptionLegalFormId, ApiJson.Iso(s.DateAdded), ApiJson.Iso(s.DateUpdated));

    private static RowDto Dto(SubscriptionRow r) => new(r.Email, r.Type, r.SubtypeName, r.SubtypeId, r.Status, r.Channel,
        r.DateUpdated is { } d ? ApiJson.Iso(d) : null);

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapGet("/conversations/preferences/custom-subtypes", (HttpContext context) =>
        {
            var (location, error) = LocationQuery(context);
            if (error is not null) return error;
            return ApiJson.Ok(new { customSubtypes = data.CustomSubtypes(location!).Select(Dto).ToList() });
        });

        app.MapPost("/conversations/preferences/custom-subtypes", async (HttpContext context) =>
        {
            var (location, error) = LocationQuery(context);
            var (body, bodyError) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return bodyError!;
            body.RejectUnknown("name", "description", "channel", "language");
            var name = body.RequiredString("name");
            if (name is { Length: > MaxNameLength }) body.Errors.Add($"name must be shorter than or equal to {MaxNameLength} characters");
            var description = body.OptionalString("description");
            if (description is { Length: > MaxDescriptionLength }) body.Errors.Add($"description must be shorter than or equal to {MaxDescriptionLength} characters");
            var channel = body.RequiredString("channel");
            if (channel is not null && !Channels.Contains(channel, StringComparer.Ordinal))
                body.Errors.Add($"channel must be one of the following values: {string.Join(", ", Channels)}");
            var language = body.RequiredString("language");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (error is not null) return error;
            var created = data.CreateCustomSubtype(location!, name!, description, channel!, language!, clock.GetUtcNow());
            if (created is null) return ApiErrors.BadRequest($"A custom subtype named '{name}' already exists for the {channel} channel");
            return ApiJson.Ok(new { success = true, customSubtype = Dto(created) }, StatusCodes.Status201Created);
        });

        app.MapPut("/conversations/preferences/custom-subtypes/{id}", async (HttpContext context, string id) =>
        {
            var (location, error) = LocationQuery(context);
            var (body, bodyError) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return bodyError!;
            body.RejectUnknown("name", "description", "archived", "resubscription_legal_form_id");
            var name = body.OptionalString("name");
            if (name is { Length: 0 }) body.Errors.Add("name should not be empty");
            if (name is { Length: > MaxNameLength }) body.Errors.Add($"name must be shorter than or equal to {MaxNameLength} characters");
            var description = body.OptionalString("description");
            if (description is { Length: > MaxDescriptionLength }) body.Errors.Add($"description must be shorter than or equal to {MaxDescriptionLength} characters");
            var archived = body.OptionalBoolean("archived");
            var form = body.OptionalString("resubscription_legal_form_id");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (error is not null) return error;
            var (updated, taken) = data.UpdateCustomSubtype(location!, id, name, description, archived, form, clock.GetUtcNow());
            if (taken) return ApiErrors.BadRequest($"A custom subtype named '{name}' already exists for this channel");
            return updated is null ? ApiErrors.NotFound("Custom subtype not found") : ApiJson.Ok(Dto(updated));
        });

        app.MapGet("/conversations/preferences/unsubscriptions/status", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var errors = new List<string>();
            foreach (var key in query.Keys)
                if (key is not ("locationId" or "contactId" or "email")) errors.Add($"property {key} should not exist");
            var location = query["locationId"].ToString();
            if (location.Length == 0) errors.Add("locationId should not be empty");
            var contactId = query["contactId"].ToString();
            if (contactId.Length == 0) errors.Add("contactId should not be empty");
            string? email = query.ContainsKey("email") ? query["email"].ToString() : null;
            if (email is not null && !IsEmail(email)) errors.Add("email must be an email");
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);
            if (location != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var contact = data.GetContact(contactId);
            if (contact is null) return ApiErrors.NotFound("Contact not found");
            if (contact.LocationId != location) return ApiErrors.Forbidden();
            if (email is not null && !data.EmailsOf(contactId).Contains(email, StringComparer.OrdinalIgnoreCase))
                return ApiErrors.BadRequest($"{email} is not an email address of contact {contactId}");
            return ApiJson.Ok(new
            {
                contactId,
                locationId = location,
                subscriptions = data.SubscriptionRows(location, contactId, email).Select(Dto).ToList(),
            });
        });

        app.MapPost("/conversations/preferences/unsubscriptions/user-change", async (HttpContext context) =>
        {
            var (body, bodyError) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return bodyError!;
            body.RejectUnknown("locationId", "contactId", "email", "subscription_action", "legal_reason", "legal_description");
            var location = body.RequiredString("locationId");
            var contactId = body.RequiredString("contactId");
            var email = body.RequiredString("email");
            if (email is not null && !IsEmail(email)) body.Errors.Add("email must be an email");
            var legalReason = body.OptionalString("legal_reason");
            body.OptionalString("legal_description");
            var action = Action(body.Raw("subscription_action"), body.Errors);
            if (action is { Status: "subscribed" } && (action.Type is "custom" or "resub_all" or "default") && string.IsNullOrWhiteSpace(legalReason))
                body.Errors.Add("legal_reason is required for resubscribe and resub_all actions");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (location != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var contact = data.GetContact(contactId!);
            if (contact is null) return ApiErrors.NotFound("Contact not found");
            if (contact.LocationId != location) return ApiErrors.Forbidden();
            if (!data.EmailsOf(contactId!).Contains(email!, StringComparer.OrdinalIgnoreCase))
                return ApiErrors.BadRequest($"{email} is not an email address of contact {contactId}");
            if (action!.Type == "custom")
            {
                var subtype = data.GetCustomSubtype(location!, action.SubtypeId!);
                if (subtype is null) return ApiErrors.NotFound("Custom subtype not found");
                if (subtype.Archived) return ApiErrors.BadRequest($"Custom subtype {subtype.Id} is archived");
                if (subtype.Channel != "email") return ApiErrors.BadRequest($"Custom subtype {subtype.Id} is not an email subtype");
            }
            data.ChangeSubscription(location!, contactId!, email!, action.Type, action.SubtypeId, action.Status, clock.GetUtcNow());
            return ApiJson.Ok(new
            {
                success = true,
                contactId,
                locationId = location,
                email,
                subscriptions = data.SubscriptionRows(location!, contactId!, email).Select(Dto).ToList(),
            }, StatusCodes.Status201Created);
        });
    }

    private sealed record SubscriptionAction(string Type, string? SubtypeId, string Status);

    /// <summary>subscription_action (SubscriptionActionDto), validated as the API's pipe does: nested errors are prefixed.</summary>
    private static SubscriptionAction? Action(JsonElement? raw, List<string> errors)
    {
        if (raw is not { ValueKind: JsonValueKind.Object } element)
        {
            errors.Add(raw is null ? "subscription_action should not be empty" : "subscription_action must be an object");
            return null;
        }
        var before = errors.Count;
        foreach (var p in element.EnumerateObject())
            if (p.Name is not ("type" or "subtype_name" or "subtype_id" or "subtype_status"))
                errors.Add($"subscription_action.property {p.Name} should not exist");
        string? Str(string name)
        {
            if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            errors.Add($"subscription_action.{name} must be a string");
            return null;
        }
        var type = Str("type");
        if (type is null) errors.Add("subscription_action.type should not be empty");
        else if (!ActionTypes.Contains(type, StringComparer.Ordinal))
            errors.Add($"subscription_action.type must be one of the following values: {string.Join(", ", ActionTypes)}");
        var status = Str("subtype_status");
        if (status is null) errors.Add("subscription_action.subtype_status should not be empty");
        else if (!Statuses.Contains(status, StringComparer.Ordinal))
            errors.Add($"subscription_action.subtype_status must be one of the following values: {string.Join(", ", Statuses)}");
        var name = Str("subtype_name");
        if (name is not null && name != DataStore.OneOnOne) errors.Add($"subscription_action.subtype_name must be one of the following values: {DataStore.OneOnOne}");
        var subtypeId = Str("subtype_id");
        if (type == "default" && name is null) errors.Add("subscription_action.subtype_name is required for default types");
        if (type == "custom" && string.IsNullOrEmpty(subtypeId)) errors.Add("subscription_action.subtype_id is required for custom types");
        if (type == "resub_all" && status == "unsubscribed") errors.Add("subscription_action.subtype_status must be subscribed for resub_all");
        return errors.Count > before ? null : new SubscriptionAction(type!, subtypeId, status!);
    }

    /// <summary>The required locationId query parameter (the only one these routes take), checked against the caller.</summary>
    private static (string? Location, IResult? Error) LocationQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var errors = new List<string>();
        foreach (var key in query.Keys)
            if (key != "locationId") errors.Add($"property {key} should not exist");
        var location = query["locationId"].ToString();
        if (location.Length == 0) errors.Add("locationId should not be empty");
        if (errors.Count > 0) return (null, ApiErrors.Unprocessable(errors));
        return location != ApiCaller.Of(context).LocationId ? (null, ApiErrors.Forbidden()) : (location, null);
    }

    private static bool IsEmail(string s)
    {
        var at = s.IndexOf('@');
        return at > 0 && at == s.LastIndexOf('@') && at < s.Length - 1 && !s.Any(char.IsWhiteSpace);
    }
}
