using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A message to send (POST /conversations/messages). Null fields are not sent.</summary>
    public sealed class MessageSend
    {
        public string Type { get; set; } = "";
        public string ContactId { get; set; } = "";
        public string? Message { get; set; }
        public string? Html { get; set; }
        public string? Subject { get; set; }
        public IReadOnlyList<string>? EmailTo { get; set; }
        public IReadOnlyList<string>? EmailCc { get; set; }
        public IReadOnlyList<string>? EmailBcc { get; set; }
        public string? EmailFrom { get; set; }
        public IReadOnlyList<string>? Attachments { get; set; }
        public string? ReplyMessageId { get; set; }
        public DateTimeOffset? ScheduledAt { get; set; }

        /// <summary>Refuses what the API would refuse, before anything is sent. Returns the type in the API's spelling.</summary>
        public string Validate(DateTimeOffset now)
        {
            var type = MessageTypeNames.NormalizeSend(Type);
            InputGuard.Id(ContactId, "contact id");
            if (ReplyMessageId != null) InputGuard.Id(ReplyMessageId, "reply message id");
            bool hasText = !string.IsNullOrEmpty(Message);
            if (type == "Email")
            {
                if (string.IsNullOrWhiteSpace(Subject)) throw LcException.InvalidInput("An Email needs a subject: pass -Subject. Nothing was sent.");
                if (!hasText && string.IsNullOrEmpty(Html)) throw LcException.InvalidInput("An Email needs a body: pass -Html or -Message. Nothing was sent.");
            }
            else
            {
                if (!hasText && (Attachments == null || Attachments.Count == 0))
                    throw LcException.InvalidInput($"A {type} message needs text: pass -Message (or -Attachments). Nothing was sent.");
                if (Html != null || Subject != null || EmailTo != null || EmailCc != null || EmailBcc != null || EmailFrom != null)
                    throw LcException.InvalidInput($"-Html, -Subject and the -Email* parameters are for -Type Email, not {type}. Nothing was sent.");
            }
            if (Attachments != null)
                foreach (var a in Attachments)
                    if (!Uri.TryCreate(a, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                        throw LcException.InvalidInput($"The attachment '{InputGuard.Printable(a ?? "")}' is not an http(s) URL. Nothing was sent.");
            foreach (var list in new[] { EmailTo, EmailCc, EmailBcc })
                if (list != null)
                    foreach (var address in list)
                        if (string.IsNullOrWhiteSpace(address) || address.Any(char.IsControl))
                            throw LcException.InvalidInput("An email address is empty or holds a control character. Nothing was sent.");
            if (ScheduledAt is DateTimeOffset at && at <= now)
                throw LcException.InvalidInput($"-ScheduledAt {at.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z is in the past. Nothing was sent.");
            return type;
        }

        internal string ToJson(string type) => JsonBody.Write(w =>
        {
            w.WriteString("type", type);
            w.WriteString("contactId", ContactId);
            if (Message != null) w.WriteString("message", Message);
            if (Html != null) w.WriteString("html", Html);
            if (Subject != null) w.WriteString("subject", Subject);
            if (EmailFrom != null) w.WriteString("emailFrom", EmailFrom);
            // emailTo is a single string in the OpenAPI; several recipients go as an array.
            if (EmailTo != null)
            {
                if (EmailTo.Count == 1) w.WriteString("emailTo", EmailTo[0]);
                else { w.WritePropertyName("emailTo"); Strings(w, EmailTo); }
            }
            if (EmailCc != null) { w.WritePropertyName("emailCc"); Strings(w, EmailCc); }
            if (EmailBcc != null) { w.WritePropertyName("emailBcc"); Strings(w, EmailBcc); }
            if (Attachments != null) { w.WritePropertyName("attachments"); Strings(w, Attachments); }
            if (ReplyMessageId != null) w.WriteString("replyMessageId", ReplyMessageId);
            if (ScheduledAt is DateTimeOffset at) w.WriteNumber("scheduledTimestamp", at.ToUnixTimeSeconds());
        });

        private static void Strings(Utf8JsonWriter w, IEnumerable<string> values)
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
    }
}
