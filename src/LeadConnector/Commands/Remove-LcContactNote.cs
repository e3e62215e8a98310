using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcContactNote: DELETE /contacts/{contactId}/notes/{id}. -Force skips the prompt (never -WhatIf).</summary>
    /// <remarks>Binding: a note piped in binds its ContactId and Id.</remarks>
    [Cmdlet(VerbsCommon.Remove, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcContactNoteCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("NoteId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            var id = Id;
            if (!TryPrepare(() => new ContactNoteOperations(Session).Delete(contactId, id), id, out var delete)) return;
            if (!ShouldProcessOrForce($"note {id} of contact {contactId}", "Remove note", Force.IsPresent)) return;
            Start(delete, id, _ => WriteVerbose($"Removed note {id} of contact {contactId}."));
        }
    }
}
