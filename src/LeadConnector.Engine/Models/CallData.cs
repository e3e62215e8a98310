using System;
using System.Collections;
using System.Linq;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// The call of an added message (CallDataDTO): who dialled, who answered, how it ended. PowerShell turns a hashtable
    /// such as @{ From = '+1555...'; To = '+1555...'; Status = 'completed' } into one.
    /// </summary>
    public sealed class CallData
    {
        /// <summary>The values CallDataDTO.status takes.</summary>
        public static readonly string[] Statuses = { "pending", "completed", "answered", "busy", "no-answer", "failed", "canceled", "voicemail" };

        /// <summary>The receiver's phone number.</summary>
        public string? To { get; set; }
        /// <summary>The dialer's phone number.</summary>
        public string? From { get; set; }
        /// <summary>pending, completed, answered, busy, no-answer, failed, canceled or voicemail.</summary>
        public string? Status { get; set; }

        public override string ToString() => $"{From} -> {To} ({Status})";

        /// <summary>The status in the API's spelling (any case in); throws InvalidInput for another value.</summary>
        internal string? NormalizedStatus()
        {
            if (Status == null) return null;
            var found = Statuses.FirstOrDefault(s => string.Equals(s, Status.Trim(), StringComparison.OrdinalIgnoreCase));
            return found ?? throw LcException.InvalidInput(
                $"'{InputGuard.Printable(Status)}' is not a call status the API takes. Use one of: {string.Join(", ", Statuses)}.");
        }
    }
}
