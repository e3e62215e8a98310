using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A message of a conversation (GetMessageResponseDto): every contract field; dates as UTC.
    /// The live list omits the bodies of email messages; <see cref="MessageOperations.FillEmailBodyAsync"/> fetches them.
    /// </summary>
    public sealed class Message
    {
        public string? Id { get; set; }
        /// <summary>The message type as the API's number.</summary>
        public int? Type { get; set; }
        /// <summary>The message type as the API's TYPE_* name (TYPE_SMS, TYPE_EMAIL, ...).</summary>
        public string? MessageType { get; set; }
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public string? ConversationId { get; set; }
        public DateTimeOffset? DateAdded { get; set; }
        public string? Body { get; set; }
        public string? Direction { get; set; }
        public string? Status { get; set; }
        public string? ContentType { get; set; }
        public StringList Attachments { get; set; } = StringList.Empty;
        public string? Source { get; set; }
        public string? UserId { get; set; }
        public string? ConversationProviderId { get; set; }
        public string? ChatWidgetId { get; set; }
        /// <summary>meta.email.subject, for email messages.</summary>
        public string? Subject { get; set; }
        /// <summary>meta.email.messageIds: the email message ids behind this message (for Get-LcEmailMessage).</summary>
        public StringList EmailMessageIds { get; set; } = StringList.Empty;
        /// <summary>The meta object as JSON text, when the API sent one.</summary>
        public string? Meta { get; set; }

        /// <summary>True for TYPE_EMAIL and the other email types.</summary>
        public bool IsEmail => MessageType != null && MessageType.EndsWith("EMAIL", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Id ?? "(message)";

        internal static Message Read(JsonElement e)
        {
            var m = new Message
            {
                Id = JsonRead.String(e, "id"),
                Type = JsonRead.Int(e, "type"),
                MessageType = JsonRead.String(e, "messageType"),
                LocationId = JsonRead.String(e, "locationId"),
                ContactId = JsonRead.String(e, "contactId"),
                ConversationId = JsonRead.String(e, "conversationId"),
                DateAdded = JsonRead.Date(e, "dateAdded"),
                Body = JsonRead.String(e, "body"),
                Direction = JsonRead.String(e, "direction"),
                Status = JsonRead.String(e, "status"),
                ContentType = JsonRead.String(e, "contentType"),
                Attachments = StringList.Of(JsonRead.StringArray(e, "attachments")),
                Source = JsonRead.String(e, "source"),
                UserId = JsonRead.String(e, "userId"),
                ConversationProviderId = JsonRead.String(e, "conversationProviderId"),
                ChatWidgetId = JsonRead.String(e, "chatWidgetId"),
            };
            // Some answers carry the TYPE_* name in "type" itself.
            if (m.MessageType == null && JsonRead.Prop(e, "type") is JsonElement t && t.ValueKind == JsonValueKind.String && m.Type == null)
                m.MessageType = t.GetString();
            var meta = JsonRead.Prop(e, "meta");
            if (meta != null && meta.Value.ValueKind == JsonValueKind.Object)
            {
                m.Meta = meta.Value.GetRawText();
                var email = JsonRead.Prop(meta.Value, "email");
                if (email != null && email.Value.ValueKind == JsonValueKind.Object)
                {
                    m.Subject = JsonRead.String(email.Value, "subject");
                    m.EmailMessageIds = StringList.Of(JsonRead.StringArray(email.Value, "messageIds"));
                }
            }
            return m;
        }
    }

    /// <summary>The answer to POST /conversations/messages (SendMessageResponseDto).</summary>
    public sealed class SendResult
    {
        public string? ConversationId { get; set; }
        public string? MessageId { get; set; }
        public StringList MessageIds { get; set; } = StringList.Empty;
        public string? EmailMessageId { get; set; }
        /// <summary>The API's "msg".</summary>
        public string? Message { get; set; }
        public string? Status { get; set; }

        public override string ToString() => MessageId ?? "(sent)";

        internal static SendResult Read(JsonElement e) => new SendResult
        {
            ConversationId = JsonRead.String(e, "conversationId"),
            MessageId = JsonRead.String(e, "messageId"),
            MessageIds = StringList.Of(JsonRead.StringArray(e, "messageIds")),
            EmailMessageId = JsonRead.String(e, "emailMessageId"),
            Message = JsonRead.String(e, "msg"),
            Status = JsonRead.String(e, "status"),
        };
    }
}
