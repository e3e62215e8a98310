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

        internal static readonly FieldMap<EmailMessage> Fields = new FieldMap<EmailMessage>(() => new EmailMessage())
            .Add("id", (ref JsonSource s, EmailMessage m) => m.Id = s.String())
            .Add("altId", (ref JsonSource s, EmailMessage m) => m.AltId = s.String())
            .Add("threadId", (ref JsonSource s, EmailMessage m) => m.ThreadId = s.String())
            .Add("locationId", (ref JsonSource s, EmailMessage m) => m.LocationId = s.String())
            .Add("contactId", (ref JsonSource s, EmailMessage m) => m.ContactId = s.String())
            .Add("conversationId", (ref JsonSource s, EmailMessage m) => m.ConversationId = s.String())
            .Add("dateAdded", (ref JsonSource s, EmailMessage m) => m.DateAdded = s.Date())
            .Add("subject", (ref JsonSource s, EmailMessage m) => m.Subject = s.String())
            .Add("body", (ref JsonSource s, EmailMessage m) => m.Body = s.String())
            .Add("direction", (ref JsonSource s, EmailMessage m) => m.Direction = s.String())
            .Add("status", (ref JsonSource s, EmailMessage m) => m.Status = s.String())
            .Add("contentType", (ref JsonSource s, EmailMessage m) => m.ContentType = s.String())
            .Add("attachments", (ref JsonSource s, EmailMessage m) => m.Attachments = StringList.Of(s.Strings()))
            .Add("provider", (ref JsonSource s, EmailMessage m) => m.Provider = s.String())
            .Add("from", (ref JsonSource s, EmailMessage m) => m.From = s.String())
            .Add("to", (ref JsonSource s, EmailMessage m) => m.To = StringList.Of(s.Strings()))
            .Add("cc", (ref JsonSource s, EmailMessage m) => m.Cc = StringList.Of(s.Strings()))
            .Add("bcc", (ref JsonSource s, EmailMessage m) => m.Bcc = StringList.Of(s.Strings()))
            .Add("replyToMessageId", (ref JsonSource s, EmailMessage m) => m.ReplyToMessageId = s.String())
            .Add("source", (ref JsonSource s, EmailMessage m) => m.Source = s.String())
            .Add("conversationProviderId", (ref JsonSource s, EmailMessage m) => m.ConversationProviderId = s.String());

        /// <summary>GET /conversations/messages/email/{id}: the email message itself or { emailMessage }.</summary>
        internal static readonly WrappedAnswer<EmailMessage> Answer = new WrappedAnswer<EmailMessage>(Fields, "emailMessage");
    }
}
