using System.Text.Json;
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
            // emailTo is one string in SendMessageBodyDto: an array is refused, as the API's validation pipe does.
            var emailToOne = body.OptionalString("emailTo");
            string[] emailTo = emailToOne is null ? [] : [emailToOne];
            var cc = body.OptionalStringArray("emailCc");
            var bcc = body.OptionalStringArray("emailBcc");
            var attachments = body.OptionalStringArray("attachments");
            var replyMessageId = body.OptionalString("replyMessageId");
            var threadId = body.OptionalString("threadId");
            var providerId = body.OptionalString("conversationProviderId");
            var scheduled = body.OptionalNumber("scheduledTimestamp");
            foreach (var name in new[] { "subType", "appointmentId", "templateId", "customSubtypeId", "fromNumber", "toNumber" })
                body.OptionalString(name);
            var replyMode = OneOf(body, "emailReplyMode", ReplyModes);
            var status = OneOf(body, "status", Statuses);
            OneOf(body, "optimizationPeriod", OptimizationPeriods);
            body.OptionalBoolean("usesNativeSchedulingAi");
            var forward = ReadForward(body);
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
                // A forward carries the source email's subject and body.
                if (forward is null && string.IsNullOrEmpty(html) && string.IsNullOrEmpty(message))
                    body.Errors.Add("html or message should not be empty for an Email");
                if (forward is null && string.IsNullOrEmpty(subject)) body.Errors.Add("subject should not be empty for an Email");
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
            var result = new Dtos.SendResult(conversation.Id, sent.Id, sent.IsEmail ? sent.Id : null, [sent.Id],
                scheduledAt is null ? "Message queued successfully." : "Message scheduled successfully.", status ?? "pending");
            if (forward is null) return ApiJson.Ok(result);
            return ApiJson.Ok(new SendResultWithForward(result.ConversationId, result.MessageId, result.EmailMessageId, result.MessageIds,
                result.Msg, result.Status, new ForwardData(forward.Value.TryGetProperty("forwardWholeThread", out var w) && w.ValueKind == JsonValueKind.True,
                    Str(forward.Value, "messageId"), Str(forward.Value, "emailMessageId"), Str(forward.Value, "sourceContactId") ?? contactId,
                    Str(forward.Value, "sourceConversationId") ?? conversation.Id, Str(forward.Value, "toEmail"),
                    Str(forward.Value, "recipientContactId"), Str(forward.Value, "recipientConversationId"))));
        });
    }

    private static readonly string[] ReplyModes = ["reply", "reply_all"];
    private static readonly string[] Statuses = ["delivered", "failed", "pending", "read"];
    private static readonly string[] OptimizationPeriods = ["24h", "48h", "72h"];

    private static readonly string[] ForwardMembers =
    [
        "isForwarded", "forwardWholeThread", "messageId", "emailMessageId", "sourceContactId", "sourceConversationId", "toEmail",
        "recipientContactId", "recipientConversationId",
    ];

    private sealed record ForwardData(bool ForwardWholeThread, string? MessageId, string? EmailMessageId, string? SourceContactId,
        string? SourceConversationId, string? ForwardToEmail, string? RecipientContactId, string? RecipientConversationId);

    private sealed record SendResultWithForward(string ConversationId, string MessageId, string? EmailMessageId, string[] MessageIds,
        string Msg, string Status, ForwardData ForwardData);

    private static string? OneOf(JsonBody body, string name, string[] allowed)
    {
        var value = body.OptionalString(name);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal)) return value;
        body.Errors.Add($"{name} must be one of the following values: {string.Join(", ", allowed)}");
        return null;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>forward (ForwardConfigDto): an object, isForwarded required, no unknown members; null when absent or not forwarded.</summary>
    private static JsonElement? ReadForward(JsonBody body)
    {
        if (body.Raw("forward") is not JsonElement forward) return null;
        if (forward.ValueKind != JsonValueKind.Object)
        {
            body.Errors.Add("forward must be an object");
            return null;
        }
        foreach (var p in forward.EnumerateObject())
            if (!ForwardMembers.Contains(p.Name, StringComparer.Ordinal)) body.Errors.Add($"forward.property {p.Name} should not exist");
        if (!forward.TryGetProperty("isForwarded", out var isForwarded) || isForwarded.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            body.Errors.Add("forward.isForwarded must be a boolean value");
            return null;
        }
        if (isForwarded.ValueKind == JsonValueKind.False) return null;
        if (Str(forward, "messageId") is null) body.Errors.Add("forward.messageId should not be empty");
        return forward;
    }
}
