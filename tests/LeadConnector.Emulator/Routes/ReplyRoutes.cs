using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// An agent or bot answering a customer: POST /conversations/messages/review-reply (a reply to the Google review a
/// conversation came from; any other conversation is a 400, as the API's "must have reviewId" says) and
/// POST /conversations/providers/live-chat/typing (the typing indicator of a live chat).
/// </summary>
internal static class ReplyRoutes
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var clock = state.Clock;

        app.MapPost("/conversations/messages/review-reply", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("conversationId", "locationId", "message");
            var conversationId = body.RequiredString("conversationId");
            var locationId = body.RequiredString("locationId");
            var message = body.RequiredString("message");
            if (message is not null && message.Trim().Length == 0) body.Errors.Add("message should not be empty");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var conversation = data.GetConversation(conversationId!);
            if (conversation is null) return ApiErrors.ConversationNotFound();
            if (conversation.LocationId != locationId) return ApiErrors.Forbidden();
            if (data.ReviewIdOf(conversationId!) is null)
                return ApiErrors.BadRequest($"Conversation {conversationId} is not a review conversation: it has no reviewId");
            var reply = data.ReplyToReview(conversationId!, message!, clock.GetUtcNow());
            if (reply is null) return ApiErrors.ConversationNotFound(); // deleted meanwhile
            return ApiJson.Ok(new { conversationId, messageId = reply.Id, messageIds = new[] { reply.Id }, msg = "Review reply posted.", status = "delivered" });
        });

        app.MapPost("/conversations/providers/live-chat/typing", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("locationId", "isTyping", "visitorId", "conversationId");
            var locationId = body.RequiredString("locationId");
            var isTyping = body.RequiredString("isTyping");
            if (isTyping is not null and not ("true" or "false")) body.Errors.Add("isTyping must be one of the following values: true, false");
            var visitorId = body.RequiredString("visitorId");
            var conversationId = body.RequiredString("conversationId");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var conversation = data.GetConversation(conversationId!);
            if (conversation is null) return ApiErrors.ConversationNotFound();
            if (conversation.LocationId != locationId) return ApiErrors.Forbidden();
            data.RecordTyping(new TypingEvent(conversationId!, visitorId!, isTyping == "true", clock.GetUtcNow()));
            return ApiJson.Ok(new { success = true }, StatusCodes.Status201Created);
        });
    }
}
