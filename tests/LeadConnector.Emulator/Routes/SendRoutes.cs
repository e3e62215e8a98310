using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>POST /conversations/messages: send a message (SendMessageBodyDto).</summary>
internal static class SendRoutes
{
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
