using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Stop-LcScheduledMessage: DELETE /conversations/messages/{id}/schedule, or, for an email,
    /// DELETE /conversations/messages/email/{emailMessageId}/schedule.
    /// </summary>
    /// <remarks>
    /// Binding: a SendResult binds both -Id (its MessageId) and -EmailMessageId; an email's result (EmailMessageId set)
    /// cancels the email, any other cancels the message. A message binds -Id by its Id.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "LcScheduledMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class StopLcScheduledMessageCommand : LcBulkCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Message)]
        [Alias("MessageId")]
        [AllowNull]
        [AllowEmptyString]
        public string? Id { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? EmailMessageId { get; set; }

        protected override void Process()
        {
            var email = !string.IsNullOrEmpty(EmailMessageId);
            var id = email ? EmailMessageId! : Id;
            if (string.IsNullOrEmpty(id))
            {
                Drain();
                WriteError(ErrorMap.Record(LcException.InvalidInput("Give the scheduled message's -Id, or a scheduled email's -EmailMessageId."),
                    "MissingId", ErrorCategory.InvalidArgument, null));
                return;
            }
            var ops = new MessageOperations(Session);
            if (!TryPrepare(() => email ? ops.CancelScheduledEmail(id!) : ops.CancelScheduled(id!), id, out var cancel)) return;
            var what = email ? $"scheduled email {id}" : $"scheduled message {id}";
            if (!ShouldProcess(what, "Cancel")) return;
            Start(cancel, id, _ => WriteVerbose($"Cancelled {what}."));
        }
    }
}
