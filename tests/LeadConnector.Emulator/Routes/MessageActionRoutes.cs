using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// The message endpoints of issue 14: cancel a scheduled message or email, update a status, set attachments, add an
/// inbound or outbound message, export a location's messages, and a call's recording and transcription. Also two
/// control endpoints: a recording of any size (POST /_emulator/recordings) and a generated export (POST /_emulator/exports).
/// </summary>
internal static class MessageActionRoutes
{
    public const int ExportDefaultLimit = 100;
    public const int ExportMinLimit = 10;
    public const int ExportMaxLimit = 500;

    private static readonly string[] MessageStatuses = ["delivered", "failed", "pending", "read"];
    private static readonly string[] CallStatuses = ["pending", "completed", "answered", "busy", "no-answer", "failed", "canceled", "voicemail"];

    /// <summary>ProcessMessageBodyDto.type -> the message type stored.</summary>
    private static readonly Dictionary<string, string> InboundTypes = new(StringComparer.Ordinal)
    {
        ["SMS"] = "TYPE_SMS", ["RCS"] = "TYPE_RCS", ["Email"] = "TYPE_EMAIL", ["WhatsApp"] = "TYPE_WHATSAPP", ["GMB"] = "TYPE_GMB",
        ["IG"] = "TYPE_INSTAGRAM", ["FB"] = "TYPE_FACEBOOK", ["Custom"] = "TYPE_CUSTOM_SMS", ["WebChat"] = "TYPE_WEBCHAT",
        ["Live_Chat"] = "TYPE_LIVE_CHAT", ["Call"] = "TYPE_CALL", ["IVR_Call"] = "TYPE_IVR_CALL", ["Campaign_Call"] = "TYPE_CAMPAIGN_CALL",
        ["Campaign_VoiceMail"] = "TYPE_CAMPAIGN_VOICEMAIL", ["TIKTOK"] = "TYPE_TIKTOK", ["ALL_IN_ONE_CHAT"] = "TYPE_LIVE_CHAT",
        ["FORM_SUBMISSION"] = "TYPE_FORM_SUBMISSION",
    };

    private static readonly string[] InboundMembers =
    [
        "type", "attachments", "message", "conversationId", "contactId", "conversationProviderId", "html", "subject", "emailFrom",
        "emailTo", "emailCc", "emailBcc", "emailMessageId", "altId", "direction", "date", "call",
    ];

    private static readonly string[] OutboundMembers = ["type", "attachments", "conversationId", "conversationProviderId", "altId", "date", "call"];

    /// <summary>The export's channel filter -> the message types it keeps.</summary>
    private static readonly Dictionary<string, string[]> Channels = new(StringComparer.Ordinal)
    {
        ["Call"] = ["TYPE_CALL", "TYPE_IVR_CALL", "TYPE_CUSTOM_CALL", "TYPE_CAMPAIGN_CALL"],
        ["SMS"] = ["TYPE_SMS", "TYPE_CUSTOM_SMS", "TYPE_CAMPAIGN_SMS"],
        ["Email"] = ["TYPE_EMAIL", "TYPE_CUSTOM_EMAIL", "TYPE_CAMPAIGN_EMAIL"],
        ["WhatsApp"] = ["TYPE_WHATSAPP"],
        ["Instagram"] = ["TYPE_INSTAGRAM"],
        ["Facebook"] = ["TYPE_FACEBOOK"],
    };

    private static readonly string[] ExportQueryNames =
        ["locationId", "limit", "cursor", "sortBy", "sortOrder", "conversationId", "contactId", "channel", "startDate", "endDate"];

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;

        app.MapDelete("/conversations/messages/{messageId}/schedule", (HttpContext context, string messageId) =>
            Cancel(context, data, messageId, email: false));
        app.MapDelete("/conversations/messages/email/{emailMessageId}/schedule", (HttpContext context, string emailMessageId) =>
            Cancel(context, data, emailMessageId, email: true));

        app.MapPut("/conversations/messages/{messageId}/status", async (HttpContext context, string messageId) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("status", "error", "emailMessageId", "recipients");
            var status = body.RequiredString("status");
            if (status is not null && !MessageStatuses.Contains(status, StringComparer.Ordinal))
                body.Errors.Add($"status must be one of the following values: {string.Join(", ", MessageStatuses)}");
            if (body.Raw("error") is JsonElement err)
            {
                if (err.ValueKind != JsonValueKind.Object) body.Errors.Add("error must be an object");
                else
                {
                    foreach (var p in err.EnumerateObject())
                        if (p.Name is not ("code" or "type" or "message")) body.Errors.Add($"error.property {p.Name} should not exist");
                    foreach (var name in new[] { "code", "type", "message" })
                        if (!err.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || v.GetString()!.Length == 0)
                            body.Errors.Add($"error.{name} should not be empty");
                }
            }
            var emailMessageId = body.OptionalString("emailMessageId");
            body.OptionalStringArray("recipients");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);

            var existing = data.GetMessage(messageId);
            if (existing is null || data.GetConversation(existing.ConversationId) is null) return ApiErrors.NotFound("Message not found");
            if (existing.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var updated = data.ChangeMessage(messageId, m => m.Status = status);
            if (updated is null) return ApiErrors.NotFound("Message not found");
            return ApiJson.Ok(new StatusResult(updated.ConversationId, updated.Id, emailMessageId ?? (updated.IsEmail ? updated.Id : null), updated.Status!));
        });

        app.MapPut("/conversations/messages/{messageId}/attachments", async (HttpContext context, string messageId) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown("attachments");
            string[] attachments = [];
            if (body.Raw("attachments") is null) body.Errors.Add("attachments should not be empty");
            else
            {
                attachments = body.OptionalStringArray("attachments");
                if (body.Raw("attachments")!.Value.ValueKind != JsonValueKind.Array) body.Errors.Add("attachments must be an array");
                else if (attachments.Length > 5) body.Errors.Add("attachments must contain no more than 5 elements");
            }
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);

            var existing = data.GetMessage(messageId);
            if (existing is null || data.GetConversation(existing.ConversationId) is null) return ApiErrors.NotFound("Message not found");
            if (existing.LocationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
            var supported = existing.MessageType == "TYPE_CUSTOM_CALL" || existing is { MessageType: "TYPE_CALL", SubType: "EXTERNAL_CALL" };
            if (!supported) return ApiErrors.Create(403, "Message type does not support attachment updates", "Forbidden");
            data.ChangeMessage(messageId, m => m.Attachments = attachments);
            return Results.Ok();
        });

        app.MapPost("/conversations/messages/inbound", (Delegate)((HttpContext context) => AddAsync(context, state, outbound: false)));
        app.MapPost("/conversations/messages/outbound", (Delegate)((HttpContext context) => AddAsync(context, state, outbound: true)));

        app.MapGet("/conversations/messages/export", (HttpContext context) => Export(context, state));

        app.MapGet("/conversations/messages/{messageId}/locations/{locationId}/recording", (HttpContext context, string messageId, string locationId) =>
        {
            var found = FindCall(context, data, messageId, locationId, out var message);
            if (found is not null) return found;
            if (message!.RecordingBytes is not long size) return ApiErrors.NotFound("Recording not found");
            return new RecordingResult(size);
        });

        app.MapGet("/conversations/locations/{locationId}/messages/{messageId}/transcription", (HttpContext context, string locationId, string messageId) =>
        {
            var found = FindCall(context, data, messageId, locationId, out var message);
            if (found is not null) return found;
            if (message!.Transcript is not { } transcript) return ApiErrors.NotFound("Transcription not found");
            return ApiJson.Ok(transcript);
        });

        app.MapGet("/conversations/locations/{locationId}/messages/{messageId}/transcription/download", (HttpContext context, string locationId, string messageId) =>
        {
            var found = FindCall(context, data, messageId, locationId, out var message);
            if (found is not null) return found;
            if (message!.Transcript is not { } transcript) return ApiErrors.NotFound("Transcription not found");
            context.Response.Headers.ContentDisposition = "attachment; filename=\"transcription.txt\"";
            return Results.Text(TranscriptText(transcript), "text/plain; charset=utf-8", Encoding.UTF8);
        });

        // Control: give a message a recording of any size (generated as it is sent), answering its SHA-256.
        app.MapPost(ControlRoutes.Prefix + "/recordings", async (HttpContext context) =>
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var messageId = document.RootElement.GetProperty("messageId").GetString() ?? throw new ArgumentException("messageId is required.");
                var bytes = document.RootElement.GetProperty("bytes").GetInt64();
                if (bytes < 0) throw new ArgumentException("bytes must be 0 or more.");
                if (data.ChangeMessage(messageId, m => m.RecordingBytes = bytes) is null) throw new ArgumentException($"Unknown message '{messageId}'.");
                return ApiJson.Control(new { messageId, bytes, sha256 = RecordingHash(bytes) });
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return ApiJson.Control(new { error = ex.Message }, StatusCodes.Status400BadRequest);
            }
        });

        // Control: make a location's export answer N generated messages (never stored).
        app.MapPost(ControlRoutes.Prefix + "/exports", async (HttpContext context) =>
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var locationId = document.RootElement.GetProperty("locationId").GetString() ?? throw new ArgumentException("locationId is required.");
                var messages = document.RootElement.GetProperty("messages").GetInt32();
                if (!state.Tokens.LocationExists(locationId)) throw new ArgumentException($"Unknown location '{locationId}'.");
                data.SetSyntheticExport(locationId, messages);
                return ApiJson.Control(new { locationId, messages });
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return ApiJson.Control(new { error = ex.Message }, StatusCodes.Status400BadRequest);
            }
        });
    }

    private sealed record CancelResult(int Status, string Message);

    private sealed record StatusResult(string ConversationId, string MessageId, string? EmailMessageId, string Status);

    private sealed record AddResult(bool Success, string ConversationId, string MessageId, string Message, string ContactId, string DateAdded, string? EmailMessageId);

    private sealed record ExportPage(IReadOnlyList<Dtos.Message> Messages, string? NextCursor, int Total);

    private static IResult Cancel(HttpContext context, DataStore data, string id, bool email)
    {
        var cancelled = data.CancelScheduled(id, email, ApiCaller.Of(context).LocationId, out var forbidden);
        if (cancelled is null) return email ? ApiErrors.EmailNotFound() : ApiErrors.NotFound("Message not found");
        if (forbidden) return ApiErrors.Forbidden();
        if (cancelled == false) return ApiErrors.BadRequest(email ? "The email message is not scheduled" : "The message is not scheduled");
        return ApiJson.Ok(new CancelResult(200, email ? "Scheduled email message cancelled successfully" : "Scheduled message cancelled successfully"));
    }

    private static async Task<IResult> AddAsync(HttpContext context, EmulatorState state, bool outbound)
    {
        var (body, error) = await JsonBody.ReadAsync(context.Request);
        if (body is null) return error!;
        body.RejectUnknown(outbound ? OutboundMembers : InboundMembers);
        var type = body.RequiredString("type");
        string? messageType = null;
        if (type is not null)
        {
            if (outbound && type != "Call") body.Errors.Add("type must be one of the following values: Call");
            else if (!InboundTypes.TryGetValue(type, out messageType))
                body.Errors.Add($"type must be one of the following values: {string.Join(", ", InboundTypes.Keys)}");
        }
        var conversationId = body.RequiredString("conversationId");
        var contactId = outbound ? null : body.RequiredString("contactId");
        var providerId = body.RequiredString("conversationProviderId");
        var message = body.OptionalString("message");
        var html = body.OptionalString("html");
        var subject = body.OptionalString("subject");
        var emailFrom = body.OptionalString("emailFrom");
        var emailTo = body.OptionalString("emailTo");
        var cc = body.OptionalStringArray("emailCc");
        var bcc = body.OptionalStringArray("emailBcc");
        var emailMessageId = body.OptionalString("emailMessageId");
        var altId = body.OptionalString("altId");
        var attachments = body.OptionalStringArray("attachments");
        DateTimeOffset? date = null;
        if (body.OptionalString("date") is string dateText)
        {
            if (DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) date = d.ToUniversalTime();
            else body.Errors.Add("date must be a valid ISO 8601 date string");
        }
        string? callStatus = null;
        if (body.Raw("call") is JsonElement call)
        {
            if (call.ValueKind != JsonValueKind.Object) body.Errors.Add("call must be an object");
            else
            {
                foreach (var p in call.EnumerateObject())
                {
                    if (p.Name is not ("to" or "from" or "status")) body.Errors.Add($"call.property {p.Name} should not exist");
                    else if (p.Value.ValueKind != JsonValueKind.String) body.Errors.Add($"call.{p.Name} must be a string");
                }
                if (call.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                {
                    callStatus = s.GetString();
                    if (!CallStatuses.Contains(callStatus, StringComparer.Ordinal))
                        body.Errors.Add($"call.status must be one of the following values: {string.Join(", ", CallStatuses)}");
                }
            }
        }
        if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);

        var caller = ApiCaller.Of(context);
        var conversation = state.Data.GetConversation(conversationId!);
        if (conversation is null) return ApiErrors.ConversationNotFound();
        if (conversation.LocationId != caller.LocationId) return ApiErrors.Forbidden();
        if (contactId is not null && contactId != conversation.ContactId)
            return ApiErrors.BadRequest($"Contact {contactId} is not the contact of conversation {conversationId}");

        var added = state.Data.Add(new AddRequest(outbound, messageType ?? "TYPE_CALL", conversationId!, contactId, providerId!, message, html,
            subject, emailFrom, emailTo, cc, bcc, emailMessageId, altId, date, callStatus, attachments), conversation, state.Clock.GetUtcNow());
        return ApiJson.Ok(new AddResult(true, added.ConversationId, added.Id, "Message added successfully", added.ContactId,
            ApiJson.Iso(added.DateAdded), added.IsEmail ? added.Id : null));
    }

    private static IResult Export(HttpContext context, EmulatorState state)
    {
        var query = context.Request.Query;
        var errors = new List<string>();
        foreach (var key in query.Keys)
            if (!ExportQueryNames.Contains(key, StringComparer.Ordinal)) errors.Add($"property {key} should not exist");
        var locationId = query["locationId"].ToString();
        if (string.IsNullOrEmpty(locationId)) errors.Add("locationId should not be empty");
        var limit = ExportDefaultLimit;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit)) errors.Add("limit must be a number conforming to the specified constraints");
            else if (limit < ExportMinLimit) errors.Add($"limit must not be less than {ExportMinLimit}");
            else if (limit > ExportMaxLimit) errors.Add($"limit must not be greater than {ExportMaxLimit}");
        }
        var sortBy = query["sortBy"].ToString();
        if (sortBy.Length > 0 && sortBy is not ("createdAt" or "updatedAt")) errors.Add("sortBy must be one of the following values: createdAt, updatedAt");
        var sortOrder = query["sortOrder"].ToString();
        if (sortOrder.Length > 0 && sortOrder is not ("asc" or "desc")) errors.Add("sortOrder must be one of the following values: asc, desc");
        var channel = query["channel"].ToString();
        string[]? types = null;
        if (channel.Length > 0 && !Channels.TryGetValue(channel, out types))
            errors.Add($"channel must be one of the following values: {string.Join(", ", Channels.Keys)}");
        var since = Date(query["startDate"].ToString(), "startDate", errors);
        var until = Date(query["endDate"].ToString(), "endDate", errors);
        var offset = 0;
        var cursor = query["cursor"].ToString();
        if (cursor.Length > 0 && !TryReadCursor(cursor, out offset)) errors.Add("cursor is invalid");
        if (errors.Count > 0) return ApiErrors.Unprocessable(errors);
        if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();

        if (state.Data.SyntheticExport(locationId) is int synthetic)
        {
            var count = Math.Max(0, Math.Min(limit, synthetic - offset));
            var generated = new List<Dtos.Message>(count);
            var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = offset; i < offset + count; i++)
            {
                generated.Add(Dtos.ForMessage(new StoredMessage
                {
                    Id = $"{locationId}-x{i:0000000}", LocationId = locationId, ContactId = $"{locationId}-contact-x{i % 97:000}",
                    ConversationId = $"{locationId}-conv-x{i % 97:000}", MessageType = "TYPE_SMS", DateAdded = start.AddSeconds(-i),
                    Body = $"Generated message {i} of the export, with a body about as long as a real one would be.", Direction = i % 2 == 0 ? "inbound" : "outbound",
                    Status = "delivered",
                }, withEmailBody: true));
            }
            var nextOffset = offset + count;
            return ApiJson.Ok(new ExportPage(generated, nextOffset < synthetic ? WriteCursor(nextOffset) : null, synthetic));
        }

        var contactId = query["contactId"].ToString();
        var conversationId = query["conversationId"].ToString();
        var all = state.Data.LocationMessages(locationId, m =>
            (types is null ? !m.IsEmail : types.Contains(m.MessageType)) &&
            (contactId.Length == 0 || m.ContactId == contactId) &&
            (conversationId.Length == 0 || m.ConversationId == conversationId) &&
            (since is null || m.DateAdded >= since) && (until is null || m.DateAdded <= until), ascending: sortOrder == "asc");
        var page = all.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count;
        return ApiJson.Ok(new ExportPage([.. page.Select(m => Dtos.ForMessage(m, withEmailBody: true))], next < all.Count ? WriteCursor(next) : null, all.Count));
    }

    private static DateTimeOffset? Date(string text, string name, List<string> errors)
    {
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) return d.ToUniversalTime();
        errors.Add($"{name} must be a valid date");
        return null;
    }

    private static string WriteCursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(cursor));
            return document.RootElement.TryGetProperty("offset", out var o) && o.TryGetInt32(out offset) && offset >= 0;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>The call message of a recording or transcription request; the error to send, or null when found.</summary>
    private static IResult? FindCall(HttpContext context, DataStore data, string messageId, string locationId, out StoredMessage? message)
    {
        message = data.GetMessage(messageId);
        if (locationId != ApiCaller.Of(context).LocationId) return ApiErrors.Forbidden();
        if (message is null || message.LocationId != locationId || data.GetConversation(message.ConversationId) is null)
            return ApiErrors.NotFound("Message not found");
        return null;
    }

    internal static string TranscriptText(IEnumerable<TranscriptSentence> transcript)
    {
        var text = new StringBuilder();
        foreach (var s in transcript)
            text.Append(CultureInfo.InvariantCulture, $"[{TimeSpan.FromMilliseconds(s.StartTime):mm\\:ss\\.fff} - {TimeSpan.FromMilliseconds(s.EndTime):mm\\:ss\\.fff}] Speaker {s.MediaChannel}: {s.Transcript}\n");
        return text.ToString();
    }

    internal static string RecordingHash(long bytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[65536];
        for (long done = 0; done < bytes;)
        {
            var n = (int)Math.Min(buffer.Length, bytes - done);
            for (var i = 0; i < n; i++) buffer[i] = Seed.RecordingByte(done + i);
            sha.AppendData(buffer, 0, n);
            done += n;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>A recording of <c>size</c> bytes (audio/x-wav, as documented), generated as it is written: never held whole.</summary>
    private sealed class RecordingResult(long size) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "audio/x-wav";
            response.Headers.ContentDisposition = "attachment; filename=audio.wav";
            response.ContentLength = size;
            var buffer = new byte[65536];
            for (long done = 0; done < size;)
            {
                var n = (int)Math.Min(buffer.Length, size - done);
                for (var i = 0; i < n; i++) buffer[i] = Seed.RecordingByte(done + i);
                await response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted);
                done += n;
            }
        }
    }
}
