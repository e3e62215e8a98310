using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Add-LcContactToWorkflow: POST /contacts/{contactId}/workflow/{workflowId}, optionally with eventStartTime.</summary>
    /// <remarks>Binding as Add-LcContactTag: a ContactId property wins over a contact's Id.</remarks>
    [Cmdlet(VerbsCommon.Add, "LcContactToWorkflow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class AddLcContactToWorkflowCommand : LcBulkCmdlet
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
            if (!TryPrepare(() => new ContactWorkflowOperations(Session).Add(contactId, WorkflowId, at), contactId, out var add)) return;
            var what = at is DateTimeOffset start ? $"Add to workflow {WorkflowId} (event start {Dates.Shown(start, minutes: true)})" : $"Add to workflow {WorkflowId}";
            if (!ShouldProcess($"contact {contactId}", what)) return;
            var workflowId = WorkflowId;
            Start(add, contactId, _ => WriteVerbose($"Added contact {contactId} to workflow {workflowId}."));
        }
    }
}
