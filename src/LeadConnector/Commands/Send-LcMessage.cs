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

        /// <summary>One address (the API's emailTo is a single string); more recipients go in -EmailCc/-EmailBcc.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmailTo { get; set; }

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

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FromNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ToNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ThreadId { get; set; }

        [Parameter]
        [ValidateSet("reply", "reply_all", IgnoreCase = true)]
        public string? EmailReplyMode { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TemplateId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppointmentId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConversationProviderId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CustomSubtypeId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SubType { get; set; }

        [Parameter]
        [ValidateSet("delivered", "failed", "pending", "read", IgnoreCase = true)]
        public string? Status { get; set; }

        /// <summary>Forward an email: a hashtable converts, e.g. @{ MessageId = '...'; EmailMessageId = '...'; ToEmail = '...' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public MessageForward? Forward { get; set; }

        [Parameter]
        public SwitchParameter UsesNativeSchedulingAi { get; set; }

        [Parameter]
        [ValidateSet("24h", "48h", "72h", IgnoreCase = true)]
        public string? OptimizationPeriod { get; set; }

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
                FromNumber = FromNumber,
                ToNumber = ToNumber,
                ThreadId = ThreadId,
                EmailReplyMode = EmailReplyMode,
                TemplateId = TemplateId,
                AppointmentId = AppointmentId,
                ConversationProviderId = ConversationProviderId,
                CustomSubtypeId = CustomSubtypeId,
                SubType = SubType,
                Status = Status,
                Forward = Forward,
                UsesNativeSchedulingAi = MyInvocation.BoundParameters.ContainsKey(nameof(UsesNativeSchedulingAi)) ? UsesNativeSchedulingAi.IsPresent : (bool?)null,
                OptimizationPeriod = OptimizationPeriod,
            };
            if (!TryPrepare(() => new MessageOperations(Session).Send(send), ContactId, out var post, "InvalidMessage")) return;
            var what = send.ScheduledAt is DateTimeOffset at ? $"Send {send.Type} message (scheduled for {Dates.Shown(at, minutes: true)})" : $"Send {send.Type} message";
            if (!ShouldProcess($"contact {ContactId}", what)) return;
            Start(post, send.ContactId, result => WriteObject(result));
        }
    }
}
