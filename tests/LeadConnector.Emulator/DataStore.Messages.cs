namespace LeadConnector.Emulator;

/// <summary>A message of a conversation. Email messages (TYPE_EMAIL) share their id with a <see cref="StoredEmail"/>.</summary>
public sealed class StoredMessage
{
    public string Id { get; set; } = "";
    public string LocationId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    /// <summary>TYPE_SMS, TYPE_EMAIL, TYPE_CALL, ...</summary>
    public string MessageType { get; set; } = "TYPE_SMS";
    public DateTimeOffset DateAdded { get; set; }
    public string? Body { get; set; }
    public string Direction { get; set; } = "outbound";
    public string? Status { get; set; }
    public string ContentType { get; set; } = "text/plain";
    public string[] Attachments { get; set; } = [];
    public string? Source { get; set; }
    public string? UserId { get; set; }
    public string? ConversationProviderId { get; set; }
    /// <summary>Email subject (email messages only).</summary>
    public string? Subject { get; set; }
    /// <summary>EXTERNAL_CALL for a call added through POST /conversations/messages/outbound; else null.</summary>
    public string? SubType { get; set; }
    /// <summary>The external provider's id of an added message (altId).</summary>
    public string? AltId { get; set; }
    /// <summary>The size of the call's recording, generated on request (never stored); null: no recording.</summary>
    public long? RecordingBytes { get; set; }
    /// <summary>The call's transcription; null: none.</summary>
    public TranscriptSentence[]? Transcript { get; set; }

    public bool IsEmail => MessageType == "TYPE_EMAIL";

    public StoredMessage Clone()
    {
        var copy = (StoredMessage)MemberwiseClone();
        copy.Attachments = [.. Attachments];
        return copy;
    }
}

/// <summary>What <c>POST /conversations/messages</c> asks for, validated.</summary>
internal sealed record SendRequest(
    string LocationId, string ContactId, string MessageType, string? Body, string? Html, string? Subject, string? EmailFrom,
    string[] EmailTo, string[] Cc, string[] Bcc, string[] Attachments, string? ReplyMessageId, DateTimeOffset? ScheduledAt,
    string? ConversationProviderId, string? ThreadId);

public sealed partial class DataStore
{
    private readonly Dictionary<string, StoredMessage> _messages = new(StringComparer.Ordinal);

    public StoredMessage? GetMessage(string id)
    {
        lock (_gate) return _messages.TryGetValue(id, out var m) ? m.Clone() : null;
    }

    /// <summary>Messages of a conversation, newest first (ties by id).</summary>
    public IReadOnlyList<StoredMessage> Messages(string conversationId)
    {
        lock (_gate)
            return [.. _messages.Values.Where(m => m.ConversationId == conversationId)
                .OrderByDescending(m => m.DateAdded).ThenBy(m => m.Id, StringComparer.Ordinal).Select(m => m.Clone())];
    }

    /// <summary>Number of messages created through POST /conversations/messages since the last reseed.</summary>
    public int SentCount { get { lock (_gate) return _sentCount; } }

    private int _sentCount;

    /// <summary>Seeds <paramref name="count"/> conversations, their contacts and messages in a location.</summary>
    internal void SeedLocation(string locationId, int count)
    {
        lock (_gate)
        {
            var taken = _conversations.Values.Select(c => c.LastMessageDate.ToUnixTimeMilliseconds()).ToHashSet();
            foreach (var (conversation, contact) in Seed.ForLocation(locationId, count))
            {
                var ms = conversation.LastMessageDate.ToUnixTimeMilliseconds();
                while (!taken.Add(ms)) ms++;
                conversation.LastMessageDate = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                _conversations[conversation.Id] = conversation;
                _contacts[contact.Id] = contact;
                foreach (var (m, email) in Seed.Messages([conversation], []))
                {
                    _messages[m.Id] = m;
                    if (email is not null) _emails[email.Id] = email;
                }
            }
        }
    }

    /// <summary>Creates a sent message (and the contact's conversation when it has none in the location).</summary>
    internal (StoredMessage Message, StoredConversation Conversation) Send(SendRequest request, DateTimeOffset now)
    {
        lock (_gate)
        {
            var contact = _contacts[request.ContactId];
            var conversation = _conversations.Values
                .Where(c => !c.Deleted && c.ContactId == request.ContactId && c.LocationId == request.LocationId)
                .OrderByDescending(c => c.LastMessageDate).FirstOrDefault();
            if (conversation is null)
            {
                var stamp = UniqueLastMessageDate(now);
                conversation = new StoredConversation
                {
                    Id = NewId(),
                    LocationId = request.LocationId,
                    ContactId = request.ContactId,
                    Type = request.MessageType == "TYPE_EMAIL" ? ConversationKind.Email : ConversationKind.Phone,
                    LastMessageDate = stamp,
                    LastManualMessageDate = stamp,
                    DateAdded = now,
                    DateUpdated = now,
                    Inbox = true,
                    FullName = contact.ContactName,
                    ContactName = contact.CompanyName ?? contact.ContactName,
                    Email = contact.Email,
                    Phone = contact.Phone,
                    CreatedByApi = true,
                };
                _conversations[conversation.Id] = conversation;
            }

            var scheduled = request.ScheduledAt is not null;
            var isEmail = request.MessageType == "TYPE_EMAIL";
            string id;
            do id = (isEmail ? "email-" : "msg-") + NewId();
            while (_messages.ContainsKey(id) || _emails.ContainsKey(id));
            var body = isEmail ? request.Html ?? request.Body ?? "" : request.Body;
            var message = new StoredMessage
            {
                Id = id,
                LocationId = request.LocationId,
                ContactId = request.ContactId,
                ConversationId = conversation.Id,
                MessageType = request.MessageType,
                DateAdded = request.ScheduledAt ?? now,
                Body = body,
                Direction = "outbound",
                Status = scheduled ? "scheduled" : "pending",
                ContentType = isEmail && request.Html is not null ? "text/html" : "text/plain",
                Attachments = request.Attachments,
                Source = "api",
                ConversationProviderId = request.ConversationProviderId,
                Subject = request.Subject,
            };
            _messages[id] = message;
            if (isEmail)
            {
                _emails[id] = new StoredEmail
                {
                    Id = id,
                    ThreadId = request.ThreadId ?? id,
                    LocationId = request.LocationId,
                    ContactId = request.ContactId,
                    ConversationId = conversation.Id,
                    DateAdded = message.DateAdded,
                    Subject = request.Subject,
                    Body = body ?? "",
                    Direction = "outbound",
                    Status = message.Status,
                    ContentType = message.ContentType,
                    Attachments = request.Attachments,
                    Provider = "Leadconnector Gmail",
                    From = request.EmailFrom ?? "noreply@emulator.example.com",
                    To = request.EmailTo.Length > 0 ? request.EmailTo : contact.Email is null ? [] : [contact.Email],
                    Cc = request.Cc,
                    Bcc = request.Bcc,
                    ReplyToMessageId = request.ReplyMessageId,
                    Source = "api",
                    ConversationProviderId = request.ConversationProviderId,
                };
            }
            if (!scheduled)
            {
                var stamp = UniqueLastMessageDate(now);
                conversation.LastMessageBody = isEmail ? request.Subject : request.Body;
                conversation.LastMessageType = request.MessageType;
                conversation.LastMessageDirection = "outbound";
                conversation.LastMessageDate = stamp;
                conversation.LastManualMessageDate = stamp;
            }
            conversation.DateUpdated = now;
            _sentCount++;
            return (message.Clone(), conversation.Clone());
        }
    }
}
