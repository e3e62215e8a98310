using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>The conversation endpoints: search, create, get, update, delete; and get email message.</summary>
internal static class ConversationRoutes
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapGet("/conversations/search", (HttpContext context) =>
        {
            var query = SearchQuery.Parse(context.Request.QueryString);
            if (query.Errors.Count > 0) return ApiErrors.Unprocessable(query.Errors);
            if (query.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var (page, total) = data.Search(query.LocationId!, query.Run);
            return ApiJson.Ok(new Dtos.SearchResult([.. page.Select(m => Dtos.Search(m.Conversation, m.SortValue))], total));
        });

        app.MapPost("/conversations", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("locationId", "contactId");
            var locationId = body.RequiredString("locationId");
            var contactId = body.RequiredString("contactId");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var created = data.Create(locationId!, contactId!, clock.GetUtcNow());
            return ApiJson.Ok(new Dtos.Wrapped(true, Dtos.Created(created)), StatusCodes.Status201Created); // as documented
        });

        app.MapGet("/conversations/{id}", (HttpContext context, string id) =>
            Find(context, data, id, out var conversation) ?? ApiJson.Ok(Dtos.ById(conversation!)));

        app.MapPut("/conversations/{id}", async (HttpContext context, string id) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("locationId", "unreadCount", "starred", "feedback");
            var locationId = body.RequiredString("locationId");
            var unreadCount = body.OptionalCount("unreadCount");
            var starred = body.OptionalBoolean("starred");
            var feedback = body.OptionalObject("feedback");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

            var existing = data.GetConversation(id);
            if (existing is null) return ApiErrors.ConversationNotFound();
            if (existing.LocationId != locationId)
                return ApiErrors.BadRequest($"Conversation {id} does not belong to location {locationId}");

            var updated = data.Update(id, clock.GetUtcNow(), c =>
            {
                if (unreadCount is int count) c.UnreadCount = count;
                if (starred is bool star) c.Starred = star;
                if (feedback is not null) c.Feedback = feedback;
            });
            return updated is null
                ? ApiErrors.ConversationNotFound() // deleted meanwhile
                : ApiJson.Ok(new Dtos.Wrapped(true, Dtos.Updated(updated)));
        });

        app.MapDelete("/conversations/{id}", (HttpContext context, string id) =>
            Find(context, data, id, out _)
            ?? (data.Update(id, clock.GetUtcNow(), c => c.Deleted = true) is null
                ? ApiErrors.ConversationNotFound()
                : ApiJson.Ok(new Dtos.SuccessOnly())));

        app.MapGet("/conversations/messages/email/{id}", (HttpContext context, string id) =>
        {
            var email = data.GetEmail(id);
            if (email is null) return ApiErrors.EmailNotFound();
            if (email.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            return ApiJson.Ok(Dtos.ForEmail(email));
        });
    }

    /// <summary>Looks up a live conversation the caller may see; returns the error to send, or null when found.</summary>
    private static IResult? Find(HttpContext context, DataStore data, string id, out StoredConversation? conversation)
    {
        conversation = data.GetConversation(id);
        if (conversation is null) return ApiErrors.ConversationNotFound();
        return conversation.LocationId != ApiCaller.Of(context).LocationId ? ApiErrors.Forbidden() : null;
    }
}
