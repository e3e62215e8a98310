using System.Globalization;
using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// A contact's tags (POST/DELETE /contacts/{contactId}/tags, both reading { tags: [...] } from the JSON body and answering
/// with the contact's tags after the change) and workflow enrollment (POST/DELETE /contacts/{contactId}/workflow/{workflowId},
/// body { eventStartTime? }, answering { succeded: true }). Enrollments are readable at GET /_emulator/workflow-enrollments.
/// </summary>
internal static class ContactTagRoutes
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapPost("/contacts/{contactId}/tags", (HttpContext context, string contactId) =>
            Tags(context, data, contactId, tags => data.AddContactTags(contactId, tags, clock.GetUtcNow()), StatusCodes.Status201Created));

        app.MapDelete("/contacts/{contactId}/tags", (HttpContext context, string contactId) =>
            Tags(context, data, contactId, tags => data.RemoveContactTags(contactId, tags, clock.GetUtcNow()), StatusCodes.Status200OK));

        app.MapPost("/contacts/{contactId}/workflow/{workflowId}", (HttpContext context, string contactId, string workflowId) =>
            Workflow(context, data, contactId, workflowId, start =>
            {
                data.Enroll(contactId, workflowId, ApiCaller.Of(context).LocationId, start, clock.GetUtcNow());
                return ApiJson.Ok(new { succeded = true });
            }));

        app.MapDelete("/contacts/{contactId}/workflow/{workflowId}", (HttpContext context, string contactId, string workflowId) =>
            Workflow(context, data, contactId, workflowId, _ =>
            {
                data.Unenroll(contactId, workflowId, clock.GetUtcNow());
                return ApiJson.Ok(new { succeded = true });
            }));

        // Control read (no auth, not logged): what the workflow endpoints recorded since the last reset.
        app.MapGet(ControlRoutes.Prefix + "/workflow-enrollments", () => ApiJson.Control(data.Enrollments().Select(e => new
        {
            sequence = e.Sequence,
            contactId = e.ContactId,
            workflowId = e.WorkflowId,
            locationId = e.LocationId,
            eventStartTime = e.EventStartTime,
            enrolledAt = ApiJson.Iso(e.EnrolledAt),
            removedAt = e.RemovedAt is { } r ? ApiJson.Iso(r) : null,
        }).ToList()));
    }

    /// <summary>TagsDTO: { tags: string[] } required, every tag a non-empty string, nothing else.</summary>
    private static async Task<IResult> Tags(HttpContext context, DataStore data, string contactId, Func<string[], string[]?> apply, int status)
    {
        var (body, error) = await JsonBody.ReadAsync(context.Request);
        if (body is null) return error!;
        body.RejectUnknown("tags");
        string[] tags = [];
        if (body.Raw("tags") is not { } raw) body.Errors.AddRange(["tags should not be empty", "tags must be an array"]);
        else if (raw.ValueKind != JsonValueKind.Array) body.Errors.Add("tags must be an array");
        else if (raw.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String)) body.Errors.Add("each value in tags must be a string");
        else
        {
            tags = [.. raw.EnumerateArray().Select(t => t.GetString()!)];
            if (tags.Length == 0) body.Errors.Add("tags should not be empty");
            if (tags.Any(t => t.Trim().Length == 0)) body.Errors.Add("each value in tags should not be empty");
        }
        if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
        if (ContactNoteRoutes.FindContact(context, data, contactId) is { } refused) return refused;
        var after = apply(tags);
        return after is null ? ApiErrors.NotFound("Contact not found") : ApiJson.Ok(new { tags = after }, status);
    }

    /// <summary>CreateWorkflowDto: { eventStartTime?: ISO 8601 string }. An unknown workflow (or one of another location) is a 404.</summary>
    private static async Task<IResult> Workflow(HttpContext context, DataStore data, string contactId, string workflowId, Func<string?, IResult> apply)
    {
        var (body, error) = await JsonBody.ReadAsync(context.Request);
        if (body is null) return error!;
        body.RejectUnknown("eventStartTime");
        var start = body.OptionalString("eventStartTime");
        if (start is not null && !DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            body.Errors.Add("eventStartTime must be a valid ISO 8601 date string");
        if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
        if (ContactNoteRoutes.FindContact(context, data, contactId) is { } refused) return refused;
        if (data.WorkflowLocation(workflowId) != ApiCaller.Of(context).LocationId) return ApiErrors.NotFound("Workflow not found");
        return apply(start);
    }
}
