using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcConversation: DELETE /conversations/{id}. Asks first unless -Force.</summary>
    [Cmdlet(VerbsCommon.Remove, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcConversationCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation)]
        [Alias("ConversationId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var id = Id;
            if (!TryPrepare(() => new ConversationOperations(Session).Delete(id), id, out var delete)) return;
            if (!ShouldProcessOrForce($"conversation {id}", "Remove conversation", Force.IsPresent)) return;
            Start(delete, id, _ => WriteVerbose($"Removed conversation {id}."));
        }
    }
}
