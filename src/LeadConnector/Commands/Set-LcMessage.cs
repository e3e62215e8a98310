using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Set-LcMessage: a custom provider reports on a message. PUT /conversations/messages/{id}/status (-Status and the
    /// rest of UpdateMessageStatusDto) and PUT /conversations/messages/{id}/attachments (-AttachmentUrl, replaces them).
    /// Either or both; with both, the status goes first.
    /// </summary>
    /// <remarks>Binding: -Id binds a message's Id or a SendResult's MessageId by property name.</remarks>
    [Cmdlet(VerbsCommon.Set, "LcMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Message))]
    public sealed class SetLcMessageCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Message)]
        [Alias("MessageId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        [ValidateSet("delivered", "failed", "pending", "read", IgnoreCase = true)]
        public string? Status { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ErrorCode { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ErrorType { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ErrorMessage { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmailMessageId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Recipient { get; set; }

        [Parameter]
        [Alias("Attachments")]
        [ValidateNotNullOrEmpty]
        public string[]? AttachmentUrl { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool StatusGiven => Status != null || ErrorCode != null || ErrorType != null || ErrorMessage != null || EmailMessageId != null || Recipient != null;

        protected override void Begin()
        {
            if (!StatusGiven && AttachmentUrl == null)
                Terminate("Nothing to set: give -Status (with -ErrorCode, -ErrorType, -ErrorMessage, -EmailMessageId, -Recipient) and/or -AttachmentUrl.",
                    "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var id = Id;
            var ops = new MessageOperations(Session);
            LcRequest<SendResult>? status = null;
            LcRequest<bool>? attachments = null;
            if (StatusGiven)
            {
                var update = new MessageStatusUpdate
                {
                    Status = Status, ErrorCode = ErrorCode, ErrorType = ErrorType, ErrorMessage = ErrorMessage,
                    EmailMessageId = EmailMessageId, Recipients = Recipient,
                };
                if (!TryPrepare(() => ops.UpdateStatus(id, update), id, out status, "InvalidMessageStatus")) return;
            }
            if (AttachmentUrl != null && !TryPrepare(() => ops.SetAttachments(id, AttachmentUrl), id, out attachments, "InvalidAttachment")) return;

            var changes = new List<string>();
            if (status != null) changes.Add($"status {Status!.ToLowerInvariant()}");
            if (attachments != null) changes.Add($"{AttachmentUrl!.Length} attachment URL(s)");
            if (!ShouldProcess($"message {id}", "Set " + string.Join(" and ", changes))) return;

            var passThru = PassThru.IsPresent;
            Start(async call =>
            {
                if (status != null) await status.SendAsync(call).ConfigureAwait(false);
                if (attachments != null) await attachments.SendAsync(call).ConfigureAwait(false);
                return passThru ? await ops.GetAsync(id, call).ConfigureAwait(false) : null;
            }, id, message =>
            {
                WriteVerbose($"Set {string.Join(" and ", changes)} on message {id}.");
                if (message != null) WriteObject(message);
            });
        }
    }
}
