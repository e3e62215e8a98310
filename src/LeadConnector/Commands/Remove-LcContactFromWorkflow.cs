using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcContactFromWorkflow: DELETE /contacts/{contactId}/workflow/{workflowId} (the contract gives it the eventStartTime body too).</summary>
    /// <remarks>Binding as Add-LcContactTag: a ContactId property wins over a contact's Id.</remarks>
    [Cmdlet(VerbsCommon.Remove, "LcContactFromWorkflow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcContactFromWorkflowCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string WorkflowId { get; set; } = "";

        [Parameter]
        public DateTime? EventStartTime { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            var at = Dates.AsUtc(EventStartTime);
            if (!TryPrepare(() => new ContactWorkflowOperations(Session).Remove(contactId, WorkflowId, at), contactId, out var remove)) return;
            if (!ShouldProcess($"contact {contactId}", $"Remove from workflow {WorkflowId}")) return;
            var workflowId = WorkflowId;
            Start(remove, contactId, _ => WriteVerbose($"Removed contact {contactId} from workflow {workflowId}."));
        }
    }
}
