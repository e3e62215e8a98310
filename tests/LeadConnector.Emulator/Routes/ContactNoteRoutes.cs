using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// Contact notes: GET/POST /contacts/{contactId}/notes and GET/PUT/DELETE /contacts/{contactId}/notes/{id}.
/// Shapes: { notes: [...] }, { note: {...} } (201 on create), { succeded: true } on delete (the contract's spelling).
/// An unknown contact or note is a 404; a contact of another location a 403; a bad body a 422.
/// </summary>
internal static class ContactNoteRoutes
{
    private static readonly string[] NoteFields = ["userId", "body", "title", "color", "pinned"];

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapGet("/contacts/{contactId}/notes", (HttpContext context, string contactId) =>
            FindContact(context, data, contactId) ?? ApiJson.Ok(new { notes = data.Notes(contactId).Select(ForNote).ToList() }));

        app.MapPost("/contacts/{contactId}/notes", async (HttpContext context, string contactId) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(NoteFields);
            var text = body.RequiredString("body");
            var title = body.OptionalString("title");
            var color = body.OptionalString("color");
            var pinned = body.OptionalBoolean("pinned");
            var userId = body.OptionalString("userId");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (FindContact(context, data, contactId) is { } refused) return refused;
            var note = data.AddNote(contactId, text!, title, color, pinned ?? false, userId, clock.GetUtcNow());
            return ApiJson.Ok(new { note = ForNote(note) }, StatusCodes.Status201Created);
        });

        app.MapGet("/contacts/{contactId}/notes/{id}", (HttpContext context, string contactId, string id) =>
            FindContact(context, data, contactId)
            ?? (data.GetNote(contactId, id) is { } note ? ApiJson.Ok(new { note = ForNote(note) }) : NoteNotFound()));

        app.MapPut("/contacts/{contactId}/notes/{id}", async (HttpContext context, string contactId, string id) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(NoteFields);
            var text = body.OptionalString("body");
            if (text is not null && text.Trim().Length == 0) body.Errors.Add("body should not be empty");
            var title = body.OptionalString("title");
            var color = body.OptionalString("color");
            var pinned = body.OptionalBoolean("pinned");
            var userId = body.OptionalString("userId");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (FindContact(context, data, contactId) is { } refused) return refused;
            var updated = data.UpdateNote(contactId, id, n =>
            {
                if (text is not null) n.Body = text;
                if (title is not null) n.Title = title;
                if (color is not null) n.Color = color;
                if (pinned is bool p) n.Pinned = p;
                if (userId is not null) n.UserId = userId;
            });
            return updated is null ? NoteNotFound() : ApiJson.Ok(new { note = ForNote(updated) });
        });

        app.MapDelete("/contacts/{contactId}/notes/{id}", (HttpContext context, string contactId, string id) =>
            FindContact(context, data, contactId)
            ?? (data.DeleteNote(contactId, id) ? ApiJson.Ok(new { succeded = true }) : NoteNotFound()));
    }

    private static IResult NoteNotFound() => ApiErrors.NotFound("Note not found");

    /// <summary>The error for a contact the caller cannot use (404 unknown, 403 another location), or null.</summary>
    internal static IResult? FindContact(HttpContext context, DataStore data, string contactId)
    {
        var contact = data.GetContact(contactId);
        if (contact is null) return ApiErrors.NotFound("Contact not found");
        return contact.LocationId != ApiCaller.Of(context).LocationId ? ApiErrors.Forbidden() : null;
    }

    /// <summary>GetNoteSchema: dateAdded as an ISO string.</summary>
    private static object ForNote(StoredNote n) => new
    {
        id = n.Id,
        body = n.Body,
        userId = n.UserId,
        dateAdded = ApiJson.Iso(n.DateAdded),
        contactId = n.ContactId,
        title = n.Title,
        color = n.Color,
        pinned = n.Pinned,
    };
}
