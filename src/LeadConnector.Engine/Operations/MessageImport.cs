using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A message to add to a conversation without sending it (history, a custom provider's traffic):
    /// POST /conversations/messages/inbound (ProcessMessageBodyDto) or /outbound (ProcessOutboundMessageBodyDto, calls only).
    /// </summary>
    public sealed class MessageImport
    {
        /// <summary>ProcessMessageBodyDto.type, in the API's spelling.</summary>
        public static readonly IReadOnlyList<string> InboundTypes = new[]
        {
            "SMS", "RCS", "Email", "WhatsApp", "GMB", "IG", "FB", "Custom", "WebChat", "Live_Chat", "Call", "IVR_Call",
            "Campaign_Call", "Campaign_VoiceMail", "TIKTOK", "ALL_IN_ONE_CHAT", "FORM_SUBMISSION",
        };

        /// <summary>ProcessOutboundMessageBodyDto.type.</summary>
        public static readonly IReadOnlyList<string> OutboundTypes = new[] { "Call" };

        /// <summary>True: POST .../outbound; false: .../inbound.</summary>
        public bool Outbound { get; set; }
        public string? Type { get; set; }
        public string? ConversationId { get; set; }
        public string? ContactId { get; set; }
        public string? ConversationProviderId { get; set; }
        public string? Message { get; set; }
        public string? Html { get; set; }
        public string? Subject { get; set; }
        public string? EmailFrom { get; set; }
        public string? EmailTo { get; set; }
        public IReadOnlyList<string>? EmailCc { get; set; }
        public IReadOnlyList<string>? EmailBcc { get; set; }
        public string? EmailMessageId { get; set; }
        public string? AltId { get; set; }
        public DateTimeOffset? Date { get; set; }
        public CallData? Call { get; set; }
        public IReadOnlyList<string>? Attachments { get; set; }

        /// <summary>The endpoint's path.</summary>
        internal string Path => Outbound ? "conversations/messages/outbound" : "conversations/messages/inbound";

        /// <summary>Checks everything the API checks; returns the type in its spelling. Throws InvalidInput.</summary>
        internal string Validate()
        {
            var types = Outbound ? OutboundTypes : InboundTypes;
            var given = string.IsNullOrWhiteSpace(Type) ? (Outbound ? "Call" : null) : Type!.Trim();
            if (given == null) throw LcException.InvalidInput("An inbound message needs -Type (SMS, Email, Call, ...).");
            var type = types.FirstOrDefault(t => string.Equals(t, given, StringComparison.OrdinalIgnoreCase))
                ?? throw LcException.InvalidInput(Outbound
                    ? $"'{InputGuard.Printable(given)}' cannot be added as an outbound message: the API adds outbound calls only (-Type Call)."
                    : $"'{InputGuard.Printable(given)}' is not a message type the API adds. Use one of: {string.Join(", ", types)}.");
            Required(ConversationId, "ConversationId");
            Required(ConversationProviderId, "ConversationProviderId");
            if (!Outbound) Required(ContactId, "ContactId");
            if (Outbound)
            {
                var inboundOnly = new (string Name, bool Given)[]
                {
                    ("ContactId", ContactId != null), ("Message", Message != null), ("Html", Html != null), ("Subject", Subject != null),
                    ("EmailFrom", EmailFrom != null), ("EmailTo", EmailTo != null), ("EmailCc", EmailCc != null), ("EmailBcc", EmailBcc != null),
                    ("EmailMessageId", EmailMessageId != null),
                }.Where(f => f.Given).Select(f => "-" + f.Name).ToList();
                if (inboundOnly.Count > 0)
                    throw LcException.InvalidInput($"An outbound call takes no {string.Join(", ", inboundOnly)}: the API's outbound body has none (only -Direction Inbound does).");
            }
            Call?.NormalizedStatus();
            if (type != "Email" && (Html != null || Subject != null || EmailFrom != null || EmailTo != null || EmailCc != null || EmailBcc != null || EmailMessageId != null))
                throw LcException.InvalidInput($"-Html, -Subject and the -Email* parameters are for -Type Email, not {type}.");
            if (Attachments != null && Attachments.Any(string.IsNullOrWhiteSpace))
                throw LcException.InvalidInput("An attachment URL is empty.");
            return type;
        }

        private static void Required(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value)) throw LcException.InvalidInput($"-{name} is required: the API refuses a message without {name.Substring(0, 1).ToLowerInvariant() + name.Substring(1)}.");
        }

        internal string ToJson(string type) => JsonBody.Write(w =>
        {
            w.WriteString("type", type);
            w.WriteString("conversationId", ConversationId);
            w.WriteString("conversationProviderId", ConversationProviderId);
            if (ContactId != null) w.WriteString("contactId", ContactId);
            if (Message != null) w.WriteString("message", Message);
            if (Html != null) w.WriteString("html", Html);
            if (Subject != null) w.WriteString("subject", Subject);
            if (EmailFrom != null) w.WriteString("emailFrom", EmailFrom);
            if (EmailTo != null) w.WriteString("emailTo", EmailTo);
            if (EmailCc != null) Strings(w, "emailCc", EmailCc);
            if (EmailBcc != null) Strings(w, "emailBcc", EmailBcc);
            if (EmailMessageId != null) w.WriteString("emailMessageId", EmailMessageId);
            if (AltId != null) w.WriteString("altId", AltId);
            if (Date is DateTimeOffset d) w.WriteString("date", IsoDate.Wire(d.UtcDateTime));
            if (Attachments != null) Strings(w, "attachments", Attachments);
            if (Call != null)
            {
                w.WriteStartObject("call");
                if (Call.To != null) w.WriteString("to", Call.To);
                if (Call.From != null) w.WriteString("from", Call.From);
                if (Call.NormalizedStatus() is string status) w.WriteString("status", status);
                w.WriteEndObject();
            }
        });

        internal static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
    }

    /// <summary>What PUT /conversations/messages/{id}/status sets (UpdateMessageStatusDto).</summary>
    public sealed class MessageStatusUpdate
    {
        /// <summary>UpdateMessageStatusDto.status.</summary>
        public static readonly IReadOnlyList<string> Statuses = new[] { "delivered", "failed", "pending", "read" };

        public string? Status { get; set; }
        /// <summary>error.code, error.type, error.message: the provider's error, all three or none.</summary>
        public string? ErrorCode { get; set; }
        public string? ErrorType { get; set; }
        public string? ErrorMessage { get; set; }
        public string? EmailMessageId { get; set; }
        public IReadOnlyList<string>? Recipients { get; set; }

        internal string Validate()
        {
            if (string.IsNullOrWhiteSpace(Status)) throw LcException.InvalidInput("-Status is required to update a message's status (delivered, failed, pending, read).");
            var status = Statuses.FirstOrDefault(s => string.Equals(s, Status!.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw LcException.InvalidInput($"'{InputGuard.Printable(Status!)}' is not a status the API sets. Use one of: {string.Join(", ", Statuses)}.");
            int given = (ErrorCode != null ? 1 : 0) + (ErrorType != null ? 1 : 0) + (ErrorMessage != null ? 1 : 0);
            if (given != 0 && given != 3)
                throw LcException.InvalidInput("The provider's error needs -ErrorCode, -ErrorType and -ErrorMessage together (the API requires all three).");
            return status;
        }

        internal string ToJson(string status) => JsonBody.Write(w =>
        {
            w.WriteString("status", status);
            if (ErrorMessage != null)
            {
                w.WriteStartObject("error");
                w.WriteString("code", ErrorCode);
                w.WriteString("type", ErrorType);
                w.WriteString("message", ErrorMessage);
                w.WriteEndObject();
            }
            if (EmailMessageId != null) w.WriteString("emailMessageId", EmailMessageId);
            if (Recipients != null) MessageImport.Strings(w, "recipients", Recipients);
        });
    }

    /// <summary>The filters of GET /conversations/messages/export.</summary>
    public sealed class MessageExportQuery
    {
        /// <summary>The channel filter's values, in the API's spelling.</summary>
        public static readonly IReadOnlyList<string> Channels = new[] { "Call", "SMS", "Email", "WhatsApp", "Instagram", "Facebook" };
        public static readonly IReadOnlyList<string> SortFields = new[] { "createdAt", "updatedAt" };

        /// <summary>The location (default: the connection's).</summary>
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public string? ConversationId { get; set; }
        public string? Channel { get; set; }
        public DateTimeOffset? Since { get; set; }
        public DateTimeOffset? Until { get; set; }
        /// <summary>createdAt (the API's default) or updatedAt.</summary>
        public string? SortBy { get; set; }
        /// <summary>asc or desc (the API's default).</summary>
        public string? SortOrder { get; set; }

        internal static string? Pick(string? value, IReadOnlyList<string> allowed, string what)
        {
            if (value == null) return null;
            return allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw LcException.InvalidInput($"'{InputGuard.Printable(value)}' is not a {what} the API takes. Use one of: {string.Join(", ", allowed)}.");
        }
    }
}
