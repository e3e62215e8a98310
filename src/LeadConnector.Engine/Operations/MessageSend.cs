using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A message to send (POST /conversations/messages, SendMessageBodyDto). Null fields are not sent.</summary>
    public sealed class MessageSend
    {
        public string Type { get; set; } = "";
        public string ContactId { get; set; } = "";
        public string? Message { get; set; }
        public string? Html { get; set; }
        public string? Subject { get; set; }
        /// <summary>emailTo: ONE address (the OpenAPI's type is a string); more recipients go in EmailCc/EmailBcc.</summary>
        public string? EmailTo { get; set; }
        public IReadOnlyList<string>? EmailCc { get; set; }
        public IReadOnlyList<string>? EmailBcc { get; set; }
        public string? EmailFrom { get; set; }
        public IReadOnlyList<string>? Attachments { get; set; }
        public string? ReplyMessageId { get; set; }
        public DateTimeOffset? ScheduledAt { get; set; }
        public string? SubType { get; set; }
        public string? AppointmentId { get; set; }
        public string? TemplateId { get; set; }
        public string? ThreadId { get; set; }
        public string? ConversationProviderId { get; set; }
        public string? CustomSubtypeId { get; set; }
        /// <summary>emailReplyMode: reply or reply_all.</summary>
        public string? EmailReplyMode { get; set; }
        public string? FromNumber { get; set; }
        public string? ToNumber { get; set; }
        public MessageForward? Forward { get; set; }
        /// <summary>status: delivered, failed, pending or read.</summary>
        public string? Status { get; set; }
        public bool? UsesNativeSchedulingAi { get; set; }
        /// <summary>optimizationPeriod: 24h, 48h or 72h.</summary>
        public string? OptimizationPeriod { get; set; }

        internal static readonly string[] ReplyModes = { "reply", "reply_all" };
        internal static readonly string[] Statuses = { "delivered", "failed", "pending", "read" };
        internal static readonly string[] OptimizationPeriods = { "24h", "48h", "72h" };

        /// <summary>
        /// Refuses what the API would refuse, before anything is sent, and puts the enums in the API's spelling. Returns
        /// the type in the API's spelling. <paramref name="uploads"/>: files that will be uploaded and attached (they
        /// count as attachments for a message without text).
        /// </summary>
        public string Validate(DateTimeOffset now, int uploads = 0)
        {
            var type = MessageTypeNames.NormalizeSend(Type);
            InputGuard.Id(ContactId, "contact id");
            if (ReplyMessageId != null) InputGuard.Id(ReplyMessageId, "reply message id");
            if (AppointmentId != null) InputGuard.Id(AppointmentId, "appointment id");
            if (TemplateId != null) InputGuard.Id(TemplateId, "template id");
            if (ThreadId != null) InputGuard.Id(ThreadId, "thread id");
            if (ConversationProviderId != null) InputGuard.Id(ConversationProviderId, "conversation provider id");
            if (CustomSubtypeId != null) InputGuard.Id(CustomSubtypeId, "custom subtype id");
            EmailReplyMode = OneOf(EmailReplyMode, ReplyModes, "-EmailReplyMode");
            Status = OneOf(Status, Statuses, "-Status");
            OptimizationPeriod = OneOf(OptimizationPeriod, OptimizationPeriods, "-OptimizationPeriod");
            if (SubType != null && (SubType.Trim().Length == 0 || SubType.Any(char.IsControl)))
                throw LcException.InvalidInput("-SubType is empty or holds a control character. Nothing was sent.");

            bool hasText = !string.IsNullOrEmpty(Message);
            bool hasAttachments = (Attachments != null && Attachments.Count > 0) || uploads > 0;
            bool forwarding = Forward != null && Forward.IsForwarded;
            if (type == "Email")
            {
                // A forward carries the source email: its subject and body are the API's to fill in.
                if (!forwarding && string.IsNullOrWhiteSpace(Subject)) throw LcException.InvalidInput("An Email needs a subject: pass -Subject. Nothing was sent.");
                if (!forwarding && !hasText && string.IsNullOrEmpty(Html)) throw LcException.InvalidInput("An Email needs a body: pass -Html or -Message. Nothing was sent.");
                if (FromNumber != null || ToNumber != null)
                    throw LcException.InvalidInput("-FromNumber and -ToNumber are for the phone channels, not Email. Nothing was sent.");
            }
            else
            {
                if (!hasText && !hasAttachments)
                    throw LcException.InvalidInput($"{Article(type)} {type} message needs text: pass -Message (or -Attachments/-AttachmentPath). Nothing was sent.");
                var emailOnly = new List<string>();
                if (Html != null) emailOnly.Add("-Html");
                if (Subject != null) emailOnly.Add("-Subject");
                if (EmailTo != null || EmailCc != null || EmailBcc != null || EmailFrom != null) emailOnly.Add("-Email*");
                if (EmailReplyMode != null) emailOnly.Add("-EmailReplyMode");
                if (CustomSubtypeId != null) emailOnly.Add("-CustomSubtypeId");
                if (Forward != null) emailOnly.Add("-Forward");
                if (UsesNativeSchedulingAi != null) emailOnly.Add("-UsesNativeSchedulingAi");
                if (OptimizationPeriod != null) emailOnly.Add("-OptimizationPeriod");
                if (emailOnly.Count > 0)
                    throw LcException.InvalidInput($"{string.Join(", ", emailOnly)} {(emailOnly.Count == 1 ? "is" : "are")} for -Type Email, not {type}. Nothing was sent.");
            }
            if (Attachments != null)
                foreach (var a in Attachments)
                    if (!Uri.TryCreate(a, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                        throw LcException.InvalidInput($"The attachment '{InputGuard.Printable(a ?? "")}' is not an http(s) URL. Nothing was sent.");
            if (EmailTo != null)
            {
                Address(EmailTo);
                if (EmailTo.IndexOf(',') >= 0 || EmailTo.IndexOf(';') >= 0 || EmailTo.Trim().Any(char.IsWhiteSpace))
                    throw LcException.InvalidInput($"-EmailTo takes one address (the API's emailTo is a single string), not '{InputGuard.Printable(EmailTo)}'. Put the other recipients in -EmailCc or -EmailBcc. Nothing was sent.");
            }
            if (EmailFrom != null) Address(EmailFrom);
            foreach (var list in new[] { EmailCc, EmailBcc })
                if (list != null)
                    foreach (var address in list) Address(address);
            foreach (var number in new[] { FromNumber, ToNumber })
                if (number != null && (number.Trim().Length == 0 || number.Any(c => !(char.IsDigit(c) || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.'))))
                    throw LcException.InvalidInput($"The phone number '{InputGuard.Printable(number)}' of -FromNumber/-ToNumber holds a character a phone number cannot have. Nothing was sent.");
            if (OptimizationPeriod != null && UsesNativeSchedulingAi != true)
                throw LcException.InvalidInput("-OptimizationPeriod is the window of the native scheduling AI: pass -UsesNativeSchedulingAi too. Nothing was sent.");
            Forward?.Validate();
            if (ScheduledAt is DateTimeOffset at && at <= now)
                throw LcException.InvalidInput($"-ScheduledAt {at.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z is in the past. Nothing was sent.");
            return type;
        }

        private static void Address(string? address)
        {
            if (string.IsNullOrWhiteSpace(address) || address!.Any(char.IsControl))
                throw LcException.InvalidInput("An email address is empty or holds a control character. Nothing was sent.");
        }

        /// <summary>The value in the API's spelling (any case in), or InvalidInput listing the values.</summary>
        internal static string? OneOf(string? value, string[] allowed, string parameter)
        {
            if (value == null) return null;
            foreach (var a in allowed)
                if (string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase)) return a;
            throw LcException.InvalidInput($"{parameter} '{InputGuard.Printable(value)}' is not one of: {string.Join(", ", allowed)}. Nothing was sent.");
        }

        /// <summary>"An" before a name said with a vowel sound (an SMS, an RCS, an IG message), else "A".</summary>
        private static string Article(string type) =>
            type.Length > 0 && ("AEFHILMNORSX".IndexOf(char.ToUpperInvariant(type[0])) >= 0 && type.ToUpperInvariant() == type || "AEIOU".IndexOf(char.ToUpperInvariant(type[0])) >= 0) ? "An" : "A";

        internal string ToJson(string type) => JsonBody.Write(w =>
        {
            w.WriteString("type", type);
            if (SubType != null) w.WriteString("subType", SubType);
            w.WriteString("contactId", ContactId);
            if (AppointmentId != null) w.WriteString("appointmentId", AppointmentId);
            if (Message != null) w.WriteString("message", Message);
            if (Html != null) w.WriteString("html", Html);
            if (Subject != null) w.WriteString("subject", Subject);
            if (EmailFrom != null) w.WriteString("emailFrom", EmailFrom);
            if (EmailTo != null) w.WriteString("emailTo", EmailTo.Trim());
            if (EmailCc != null) { w.WritePropertyName("emailCc"); Strings(w, EmailCc); }
            if (EmailBcc != null) { w.WritePropertyName("emailBcc"); Strings(w, EmailBcc); }
            if (Attachments != null) { w.WritePropertyName("attachments"); Strings(w, Attachments); }
            if (ReplyMessageId != null) w.WriteString("replyMessageId", ReplyMessageId);
            if (TemplateId != null) w.WriteString("templateId", TemplateId);
            if (ThreadId != null) w.WriteString("threadId", ThreadId);
            if (ScheduledAt is DateTimeOffset at) w.WriteNumber("scheduledTimestamp", at.ToUnixTimeSeconds());
            if (ConversationProviderId != null) w.WriteString("conversationProviderId", ConversationProviderId);
            if (CustomSubtypeId != null) w.WriteString("customSubtypeId", CustomSubtypeId);
            if (EmailReplyMode != null) w.WriteString("emailReplyMode", EmailReplyMode);
            if (FromNumber != null) w.WriteString("fromNumber", FromNumber.Trim());
            if (ToNumber != null) w.WriteString("toNumber", ToNumber.Trim());
            if (Forward != null) { w.WritePropertyName("forward"); Forward.Write(w); }
            if (Status != null) w.WriteString("status", Status);
            if (UsesNativeSchedulingAi is bool ai) w.WriteBoolean("usesNativeSchedulingAi", ai);
            if (OptimizationPeriod != null) w.WriteString("optimizationPeriod", OptimizationPeriod);
        });

        /// <summary>The same message with more attachment URLs (the uploaded files') after the given ones.</summary>
        internal MessageSend WithAttachments(IReadOnlyList<string> more)
        {
            var copy = (MessageSend)MemberwiseClone();
            if (more.Count > 0) copy.Attachments = (Attachments ?? Array.Empty<string>()).Concat(more).ToList();
            return copy;
        }

        private static void Strings(Utf8JsonWriter w, IEnumerable<string> values)
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
    }

    /// <summary>
    /// Forwarding an email (SendMessageBodyDto.forward, ForwardConfigDto). In PowerShell a hashtable converts to it:
    /// <c>-Forward @{ MessageId = '...'; EmailMessageId = '...'; ToEmail = 'a@example.com' }</c>.
    /// </summary>
    public sealed class MessageForward
    {
        public bool IsForwarded { get; set; } = true;
        public bool? ForwardWholeThread { get; set; }
        /// <summary>The message id of the email thread forwarded (the source). Required.</summary>
        public string? MessageId { get; set; }
        /// <summary>The email forwarded: required for a single email, ignored for a whole thread.</summary>
        public string? EmailMessageId { get; set; }
        public string? SourceContactId { get; set; }
        public string? SourceConversationId { get; set; }
        public string? ToEmail { get; set; }
        public string? RecipientContactId { get; set; }
        public string? RecipientConversationId { get; set; }

        internal void Validate()
        {
            if (!IsForwarded) return;
            if (MessageId == null) throw LcException.InvalidInput("-Forward needs MessageId (the email thread forwarded). Nothing was sent.");
            InputGuard.Id(MessageId, "forwarded message id");
            if (ForwardWholeThread != true && EmailMessageId == null)
                throw LcException.InvalidInput("-Forward of a single email needs EmailMessageId (or ForwardWholeThread = $true). Nothing was sent.");
            foreach (var (id, what) in new[] { (EmailMessageId, "forwarded email message id"), (SourceContactId, "source contact id"),
                         (SourceConversationId, "source conversation id"), (RecipientContactId, "recipient contact id"),
                         (RecipientConversationId, "recipient conversation id") })
                if (id != null) InputGuard.Id(id, what);
            if (ToEmail == null && RecipientContactId == null)
                throw LcException.InvalidInput("-Forward needs a destination: ToEmail or RecipientContactId. Nothing was sent.");
            if (ToEmail != null && (string.IsNullOrWhiteSpace(ToEmail) || ToEmail.Any(char.IsControl) || ToEmail.IndexOf(',') >= 0 || ToEmail.IndexOf(';') >= 0))
                throw LcException.InvalidInput($"-Forward ToEmail takes one email address, not '{InputGuard.Printable(ToEmail)}'. Nothing was sent.");
        }

        internal void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteBoolean("isForwarded", IsForwarded);
            if (ForwardWholeThread is bool whole) w.WriteBoolean("forwardWholeThread", whole);
            if (MessageId != null) w.WriteString("messageId", MessageId);
            if (EmailMessageId != null) w.WriteString("emailMessageId", EmailMessageId);
            if (SourceContactId != null) w.WriteString("sourceContactId", SourceContactId);
            if (SourceConversationId != null) w.WriteString("sourceConversationId", SourceConversationId);
            if (ToEmail != null) w.WriteString("toEmail", ToEmail.Trim());
            if (RecipientContactId != null) w.WriteString("recipientContactId", RecipientContactId);
            if (RecipientConversationId != null) w.WriteString("recipientConversationId", RecipientConversationId);
            w.WriteEndObject();
        }
    }
}
