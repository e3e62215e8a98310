using System.Globalization;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>Messages: list a conversation's messages, get one, send one.</summary>
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

    /// <summary>Send types (SendMessageBodyDto.type) -> the message type stored.</summary>
    private static readonly Dictionary<string, string> SendTypes = new(StringComparer.Ordinal)
    {
        ["SMS"] = "TYPE_SMS", ["RCS"] = "TYPE_RCS", ["Email"] = "TYPE_EMAIL", ["WhatsApp"] = "TYPE_WHATSAPP",
        ["IG"] = "TYPE_INSTAGRAM", ["FB"] = "TYPE_FACEBOOK", ["Custom"] = "TYPE_CUSTOM_SMS", ["Live_Chat"] = "TYPE_LIVE_CHAT",
        ["TIKTOK"] = "TYPE_TIKTOK",
    };

    private static readonly string[] SendMembers =
    [
        "type", "subType", "contactId", "appointmentId", "attachments", "emailFrom", "emailCc", "emailBcc", "html", "message",
        "subject", "replyMessageId", "templateId", "threadId", "scheduledTimestamp", "conversationProviderId", "emailTo",
        "customSubtypeId", "emailReplyMode", "fromNumber", "toNumber", "forward", "status", "usesNativeSchedulingAi",
        "optimizationPeriod",
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

        app.MapPost("/conversations/messages", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(SendMembers);
            var type = body.RequiredString("type");
            string? messageType = null;
            if (type is not null && !SendTypes.TryGetValue(type, out messageType))
                body.Errors.Add($"type must be one of the following values: {string.Join(", ", SendTypes.Keys)}");
            var contactId = body.RequiredString("contactId");
            var message = body.OptionalString("message");
            var html = body.OptionalString("html");
            var subject = body.OptionalString("subject");
            var emailFrom = body.OptionalString("emailFrom");
            var emailTo = body.OptionalStringArray("emailTo");
            var cc = body.OptionalStringArray("emailCc");
            var bcc = body.OptionalStringArray("emailBcc");
            var attachments = body.OptionalStringArray("attachments");
            var replyMessageId = body.OptionalString("replyMessageId");
            var threadId = body.OptionalString("threadId");
            var providerId = body.OptionalString("conversationProviderId");
            var scheduled = body.OptionalNumber("scheduledTimestamp");
            var now = state.Clock.GetUtcNow();
            DateTimeOffset? scheduledAt = null;
            if (scheduled is double seconds)
            {
                if (seconds < 0 || seconds > 253402300799) body.Errors.Add("scheduledTimestamp must be a valid UTC timestamp in seconds");
                else if ((scheduledAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))) <= now)
                    body.Errors.Add("scheduledTimestamp must be in the future");
            }
            if (messageType == "TYPE_EMAIL")
            {
                if (string.IsNullOrEmpty(html) && string.IsNullOrEmpty(message))
                    body.Errors.Add("html or message should not be empty for an Email");
                if (string.IsNullOrEmpty(subject)) body.Errors.Add("subject should not be empty for an Email");
            }
            else if (messageType is not null && string.IsNullOrEmpty(message) && attachments.Length == 0)
                body.Errors.Add($"message should not be empty for {type}");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);

            var caller = ApiCaller.Of(context);
            var contact = data.GetContact(contactId!);
            if (contact is null) return ApiErrors.NotFound("Contact not found");
            if (contact.LocationId != caller.LocationId) return ApiErrors.Forbidden();
            if (messageType == "TYPE_EMAIL" && emailTo.Length == 0 && contact.Email is null)
                return ApiErrors.BadRequest("The contact has no email address");
            if (messageType != "TYPE_EMAIL" && messageType is "TYPE_SMS" or "TYPE_WHATSAPP" or "TYPE_RCS" && contact.Phone is null)
                return ApiErrors.BadRequest("The contact has no phone number");

            var (sent, conversation) = data.Send(new SendRequest(caller.LocationId, contactId!, messageType!, message, html, subject,
                emailFrom, emailTo, cc, bcc, attachments, replyMessageId, scheduledAt, providerId, threadId), now);
            return ApiJson.Ok(new Dtos.SendResult(conversation.Id, sent.Id, sent.IsEmail ? sent.Id : null, [sent.Id],
                scheduledAt is null ? "Message queued successfully." : "Message scheduled successfully.", "pending"));
        });
    }
}
