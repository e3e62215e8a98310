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
    public sealed class SendLcMessageCommand : LcBulkCmdlet
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

        protected override void Process()
        {
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
            if (!TryPrepare(() => new MessageOperations(Session).Send(send), ContactId, out var post, "InvalidMessage")) return;
            var what = send.ScheduledAt is DateTimeOffset at ? $"Send {send.Type} message (scheduled for {Dates.Shown(at, minutes: true)})" : $"Send {send.Type} message";
            if (!ShouldProcess($"contact {ContactId}", what)) return;
            Start(post, send.ContactId, result => WriteObject(result));
        }
    }
}
