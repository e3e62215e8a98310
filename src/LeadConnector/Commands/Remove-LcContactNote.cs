using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcContactNote: DELETE /contacts/{contactId}/notes/{id}. -Force skips the prompt (never -WhatIf).</summary>
    /// <remarks>
    /// Binding: a LeadConnector.ContactNote piped in binds -Note by value (the first pass, no coercion): its ContactId and
    /// Id are the note's. -Id is not taken from the pipeline by property name, so a conversation's or a message's Id (they
    /// have a ContactId too) is never sent as a note id: such input is refused at binding.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NoteSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcContactNoteCommand : LcBulkCmdlet
    {
        private const string ByIdSet = "ById";
        private const string NoteSet = "Note";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact, Defer = new[] { typeof(ContactNote) })]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0)]
        [Alias("NoteId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter(ParameterSetName = NoteSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ContactNote? Note { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var contactId = ParameterSetName == NoteSet ? Note!.ContactId ?? "" : ContactId;
            var id = ParameterSetName == NoteSet ? Note!.Id ?? "" : Id;
            if (!TryPrepare(() => new ContactNoteOperations(Session).Delete(contactId, id), id, out var delete)) return;
            if (!ShouldProcessOrForce($"note {id} of contact {contactId}", "Remove note", Force.IsPresent)) return;
            Start(delete, id, _ => WriteVerbose($"Removed note {id} of contact {contactId}."));
        }
    }
}
