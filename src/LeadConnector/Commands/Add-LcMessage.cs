using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Add-LcMessage: adds a message to a conversation without sending it, for importing history and for custom
    /// providers: POST /conversations/messages/inbound (-Direction Inbound) or /outbound (-Direction Outbound, calls).
    /// Refuses what the API would refuse before sending; never resends a POST that may have reached the API.
    /// </summary>
    /// <remarks>
    /// Binding: every parameter binds by property name, so the rows of Import-Csv (columns named as the parameters)
    /// add one message each. A conversation's Id does not bind (-ConversationId has no Id alias); its ContactId does.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "LcMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AddMessageResult))]
    public sealed class AddLcMessageCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: a send an earlier run may have made is not repeated (CheckpointUncertain), never guessed.</summary>
        internal override bool CheckpointRepeatable => false;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Inbound", "Outbound", IgnoreCase = true)]
        public string Direction { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AddMessageTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Type { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation)]
        [ValidateNotNullOrEmpty]
        public string ConversationId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ContactId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ConversationProviderId { get; set; } = "";

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Body")]
        public string? Message { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Html { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Subject { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? EmailFrom { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? EmailTo { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? EmailCc { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? EmailBcc { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? EmailMessageId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? AltId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DateAdded")]
        public DateTime? Date { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public CallData? Call { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Attachments")]
        [AllowEmptyCollection] // a piped message with no attachments brings an empty list: no attachments
        public string[]? Attachment { get; set; }

        protected override void Process()
        {
            var outbound = string.Equals(Direction, "Outbound", StringComparison.OrdinalIgnoreCase);
            var add = new MessageImport
            {
                Outbound = outbound,
                Type = Type,
                ConversationId = ConversationId,
                ContactId = ContactId,
                ConversationProviderId = ConversationProviderId,
                Message = Message,
                Html = Html,
                Subject = Subject,
                EmailFrom = EmailFrom,
                EmailTo = EmailTo,
                EmailCc = EmailCc,
                EmailBcc = EmailBcc,
                EmailMessageId = EmailMessageId,
                AltId = AltId,
                Date = Dates.AsUtc(Date),
                Call = Call,
                Attachments = Attachment != null && Attachment.Length > 0 ? Attachment : null,
            };
            var target = ConversationId;
            if (!TryPrepare(() => new MessageOperations(Session).Add(add), target, out var post, "InvalidMessage")) return;
            var when = add.Date is DateTimeOffset d ? $" dated {Dates.Shown(d)}" : "";
            if (!ShouldProcess($"conversation {target}", $"Add {(outbound ? "outbound" : "inbound")} {Type ?? "Call"} message{when}")) return;
            Start(post, target, result => WriteObject(result));
        }
    }
}
