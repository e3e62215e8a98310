using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Send-LcMessage: POST /conversations/messages. Refuses input the API would refuse before anything is sent.
    /// The client never resends a POST unless it provably did not reach the application (429, refused connection).
    /// </summary>
    /// <remarks>
    /// Binding: -ContactId binds by property name; a conversation or a message has a ContactId property, which wins over
    /// the Id alias (PowerShell matches the parameter name before its aliases), and a contact, which has none, binds its Id.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Send, "LcMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SendResult))]
    public sealed class SendLcMessageCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(SendMessageTypeCompleter))]
        [ValidateSet("SMS", "RCS", "Email", "WhatsApp", "IG", "FB", "Custom", "Live_Chat", "TIKTOK", IgnoreCase = true)]
        public string Type { get; set; } = "";

        [Parameter(Position = 0)]
        public string? Message { get; set; }

        [Parameter]
        public string? Html { get; set; }

        [Parameter]
        public string? Subject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? EmailTo { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? EmailCc { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? EmailBcc { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmailFrom { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Attachments { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReplyMessageId { get; set; }

        [Parameter]
        public DateTime? ScheduledAt { get; set; }

        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override int ThrottleLimitValue => ThrottleLimit;

        [Parameter]
        public Connection? Connection { get; set; }

        protected override void Process()
        {
            var ops = new MessageOperations(RequireConnection(Connection));
            if (!TryValidate(() =>
            {
                Engine.InputGuard.Id(ContactId, "contact id");
                if (ReplyMessageId != null) Engine.InputGuard.Id(ReplyMessageId, "reply message id");
            }, ContactId)) return;
            var send = new MessageSend
            {
                Type = Type,
                ContactId = ContactId,
                Message = Message,
                Html = Html,
                Subject = Subject,
                EmailTo = EmailTo,
                EmailCc = EmailCc,
                EmailBcc = EmailBcc,
                EmailFrom = EmailFrom,
                Attachments = Attachments,
                ReplyMessageId = ReplyMessageId,
                ScheduledAt = Dates.AsUtc(ScheduledAt),
            };
            string type = "";
            if (!TryValidate(() => type = send.Validate(DateTimeOffset.UtcNow), ContactId, "InvalidMessage", ErrorCategory.InvalidArgument)) return;
            var what = send.ScheduledAt is DateTimeOffset at ? $"Send {type} message (scheduled for {at:yyyy-MM-dd HH:mm}Z)" : $"Send {type} message";
            if (!ShouldProcess($"contact {ContactId}", what)) return;
            Start(call => ops.SendAsync(send, call), send.ContactId, result => WriteObject(result));
        }
    }
}
