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

        /// <summary>The "type" value when it was a string (some answers carry the TYPE_* name there): the MessageType fallback.</summary>
        private string? _typeText;

        internal static readonly FieldMap<Message> Fields = new FieldMap<Message>(() => new Message(), m =>
            {
                if (m.MessageType == null && m.Type == null && m._typeText != null) m.MessageType = m._typeText;
                m._typeText = null;
            })
            .Add("id", (ref JsonSource s, Message m) => m.Id = s.String())
            .Add("type", (ref JsonSource s, Message m) =>
            {
                m._typeText = s.Token == JsonTokenType.String ? s.Reader.GetString() : null;
                m.Type = s.Int();
            })
            .Add("messageType", (ref JsonSource s, Message m) => m.MessageType = s.String())
            .Add("locationId", (ref JsonSource s, Message m) => m.LocationId = s.String())
            .Add("contactId", (ref JsonSource s, Message m) => m.ContactId = s.String())
            .Add("conversationId", (ref JsonSource s, Message m) => m.ConversationId = s.String())
            .Add("dateAdded", (ref JsonSource s, Message m) => m.DateAdded = s.Date())
            .Add("body", (ref JsonSource s, Message m) => m.Body = s.String())
            .Add("direction", (ref JsonSource s, Message m) => m.Direction = s.String())
            .Add("status", (ref JsonSource s, Message m) => m.Status = s.String())
            .Add("contentType", (ref JsonSource s, Message m) => m.ContentType = s.String())
            .Add("attachments", (ref JsonSource s, Message m) => m.Attachments = StringList.Of(s.Strings()))
            .Add("meta", (ref JsonSource s, Message m) => ReadMeta(ref s, m))
            .Add("source", (ref JsonSource s, Message m) => m.Source = s.String())
            .Add("userId", (ref JsonSource s, Message m) => m.UserId = s.String())
            .Add("conversationProviderId", (ref JsonSource s, Message m) => m.ConversationProviderId = s.String())
            .Add("chatWidgetId", (ref JsonSource s, Message m) => m.ChatWidgetId = s.String());

        /// <summary>GET /conversations/messages/{id}: the message itself or { message }.</summary>
        internal static readonly WrappedAnswer<Message> Answer = new WrappedAnswer<Message>(Fields, "message");

        // meta: { email: { subject, messageIds } }. Each read replaces what an earlier (re-cased) meta or email gave.
        private static readonly FieldMap<Message> EmailFields = new FieldMap<Message>(() => new Message())
            .Add("messageIds", (ref JsonSource s, Message m) => m.EmailMessageIds = StringList.Of(s.Strings()))
            .Add("subject", (ref JsonSource s, Message m) => m.Subject = s.String());

        private static readonly FieldMap<Message> MetaFields = new FieldMap<Message>(() => new Message())
            .Add("email", (ref JsonSource s, Message m) =>
            {
                m.Subject = null;
                m.EmailMessageIds = StringList.Empty;
                if (s.Token == JsonTokenType.StartObject) EmailFields.Read(ref s, m);
                else s.Skip();
            });

        private static void ReadMeta(ref JsonSource s, Message m)
        {
            m.Subject = null;
            m.EmailMessageIds = StringList.Empty;
            if (s.Token != JsonTokenType.StartObject)
            {
                m.Meta = null;
                s.Skip();
                return;
            }
            var start = s.Reader.TokenStartIndex;
            MetaFields.Read(ref s, m);
            m.Meta = s.TextSince(start);
        }
    }
}
