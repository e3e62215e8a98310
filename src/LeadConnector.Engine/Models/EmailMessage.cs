using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>An email message of a conversation (GET /conversations/messages/email/{id}).</summary>
    public sealed class EmailMessage
    {
        public string? Id { get; set; }
        public string? AltId { get; set; }
        public string? ThreadId { get; set; }
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public string? ConversationId { get; set; }
        public DateTimeOffset? DateAdded { get; set; }
        public string? Subject { get; set; }
        public string? Body { get; set; }
        public string? Direction { get; set; }
        public string? Status { get; set; }
        public string? ContentType { get; set; }
        public StringList Attachments { get; set; } = StringList.Empty;
        public string? Provider { get; set; }
        public string? From { get; set; }
        public StringList To { get; set; } = StringList.Empty;
        public StringList Cc { get; set; } = StringList.Empty;
        public StringList Bcc { get; set; } = StringList.Empty;
        public string? ReplyToMessageId { get; set; }
        public string? Source { get; set; }
        public string? ConversationProviderId { get; set; }

        public override string ToString() => Id ?? "(email message)";

        internal static EmailMessage Read(JsonElement e) => new EmailMessage
        {
            Id = JsonRead.String(e, "id"),
            AltId = JsonRead.String(e, "altId"),
            ThreadId = JsonRead.String(e, "threadId"),
            LocationId = JsonRead.String(e, "locationId"),
            ContactId = JsonRead.String(e, "contactId"),
            ConversationId = JsonRead.String(e, "conversationId"),
            DateAdded = JsonRead.Date(e, "dateAdded"),
            Subject = JsonRead.String(e, "subject"),
            Body = JsonRead.String(e, "body"),
            Direction = JsonRead.String(e, "direction"),
            Status = JsonRead.String(e, "status"),
            ContentType = JsonRead.String(e, "contentType"),
            Attachments = StringList.Of(JsonRead.StringArray(e, "attachments")),
            Provider = JsonRead.String(e, "provider"),
            From = JsonRead.String(e, "from"),
            To = StringList.Of(JsonRead.StringArray(e, "to")),
            Cc = StringList.Of(JsonRead.StringArray(e, "cc")),
            Bcc = StringList.Of(JsonRead.StringArray(e, "bcc")),
            ReplyToMessageId = JsonRead.String(e, "replyToMessageId"),
            Source = JsonRead.String(e, "source"),
            ConversationProviderId = JsonRead.String(e, "conversationProviderId"),
        };
    }
}
