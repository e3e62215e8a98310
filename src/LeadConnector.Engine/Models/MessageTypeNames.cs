using System;
using System.Collections.Generic;
using System.Linq;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The message type names of the API: the list filter (GET .../messages?type=) and the send types.</summary>
    public static class MessageTypeNames
    {
        /// <summary>The values the OpenAPI lists for the 'type' filter of GET /conversations/{id}/messages.</summary>
        public static readonly IReadOnlyList<string> Filter = new[]
        {
            "TYPE_CALL", "TYPE_SMS", "TYPE_RCS", "TYPE_EMAIL", "TYPE_FACEBOOK", "TYPE_GMB", "TYPE_INSTAGRAM", "TYPE_WHATSAPP",
            "TYPE_ACTIVITY_APPOINTMENT", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
            "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_INTERNAL_COMMENTS", "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG",
            "TYPE_TIKTOK", "TYPE_ACTIVITY_WHATSAPP", "TYPE_FORM_SUBMISSION",
        };

        /// <summary>The values the OpenAPI lists for SendMessageBodyDto.type, in the API's spelling.</summary>
        public static readonly IReadOnlyList<string> Send = new[] { "SMS", "RCS", "Email", "WhatsApp", "IG", "FB", "Custom", "Live_Chat", "TIKTOK" };

        /// <summary>A filter value in the API's spelling: any case, with or without the TYPE_ prefix. Throws InvalidInput otherwise.</summary>
        public static string NormalizeFilter(string value)
        {
            var v = (value ?? "").Trim().ToUpperInvariant();
            if (!v.StartsWith("TYPE_", StringComparison.Ordinal)) v = "TYPE_" + v;
            if (v == "TYPE_INTERNAL_COMMENT") v = "TYPE_INTERNAL_COMMENTS";
            if (Filter.Contains(v)) return v;
            throw LcException.InvalidInput($"'{InputGuard.Printable(value ?? "")}' is not a message type the API filters by. Use one of: {string.Join(", ", Filter)}.");
        }

        /// <summary>A send type in the API's spelling (any case in). Throws InvalidInput otherwise.</summary>
        public static string NormalizeSend(string value)
        {
            foreach (var t in Send)
                if (string.Equals(t, value?.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
            throw LcException.InvalidInput($"'{InputGuard.Printable(value ?? "")}' is not a message type the API sends. Use one of: {string.Join(", ", Send)}.");
        }
    }
}
