using System.Globalization;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>Messages: list a conversation's messages, get one (sending is in <see cref="SendRoutes"/>).</summary>
internal static class MessageRoutes
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The type filter values the OpenAPI lists for the messages list.</summary>
    private static readonly string[] FilterTypes =
    [
        "TYPE_CALL", "TYPE_SMS", "TYPE_RCS", "TYPE_EMAIL", "TYPE_FACEBOOK", "TYPE_GMB", "TYPE_INSTAGRAM", "TYPE_WHATSAPP",
        "TYPE_ACTIVITY_APPOINTMENT", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
        "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_INTERNAL_COMMENTS", "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG",
        "TYPE_TIKTOK", "TYPE_ACTIVITY_WHATSAPP", "TYPE_FORM_SUBMISSION",
    ];

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;

        app.MapGet("/conversations/{conversationId}/messages", (HttpContext context, string conversationId) =>
        {
            var query = context.Request.Query;
            var errors = new List<string>();
            foreach (var key in query.Keys)
                if (key is not ("lastMessageId" or "limit" or "type")) errors.Add($"property {key} should not exist");
            var limit = DefaultLimit;
            if (query.TryGetValue("limit", out var limitText))
            {
                if (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit)) errors.Add("limit must be an integer number");
                else if (limit < 1) errors.Add("limit must not be less than 1");
                else if (limit > MaxLimit) errors.Add($"limit must not be greater than {MaxLimit}");
            }
            HashSet<string>? types = null;
            if (query.TryGetValue("type", out var typeText))
            {
                types = new HashSet<string>(StringComparer.Ordinal);
                foreach (var t in typeText.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
                {
                    if (!FilterTypes.Contains(t, StringComparer.Ordinal))
                        errors.Add($"type must be one of the following values: {string.Join(", ", FilterTypes)}");
                    else types.Add(t == "TYPE_INTERNAL_COMMENTS" ? "TYPE_INTERNAL_COMMENT" : t);
                }
                if (types.Count == 0 && errors.Count == 0) errors.Add("type should not be empty");
            }
            var lastMessageId = query["lastMessageId"].ToString();
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);

            var conversation = data.GetConversation(conversationId);
            if (conversation is null) return ApiErrors.ConversationNotFound();
            if (conversation.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

            IEnumerable<StoredMessage> messages = data.Messages(conversationId);
            if (types is not null) messages = messages.Where(m => types.Contains(m.MessageType));
            var list = messages.ToList();
            var start = 0;
            if (!string.IsNullOrEmpty(lastMessageId))
            {
                var index = list.FindIndex(m => m.Id == lastMessageId);
                if (index < 0) return ApiErrors.BadRequest($"Message {lastMessageId} is not in this conversation");
                start = index + 1;
            }
            var page = list.Skip(start).Take(limit).ToList();
            var nextPage = start + page.Count < list.Count;
            var body = new Dtos.MessagePage(page.Count > 0 ? page[^1].Id : null, nextPage,
                [.. page.Select(m => Dtos.ForMessage(m, withEmailBody: false))]);
            return state.MessageListShape == MessageListShape.Flat
                ? ApiJson.Ok(body)
                : ApiJson.Ok(new Dtos.NestedMessagePage(body));
        });

        app.MapGet("/conversations/messages/{id}", (HttpContext context, string id) =>
        {
            var message = data.GetMessage(id);
            if (message is null || data.GetConversation(message.ConversationId) is null)
                return ApiErrors.NotFound("Message not found");
            if (message.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            return ApiJson.Ok(Dtos.ForMessage(message, withEmailBody: true));
        });
    }
}
