using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcContactNote: PUT /contacts/{contactId}/notes/{id} with the given fields only.</summary>
    /// <remarks>
    /// Binding: a LeadConnector.ContactNote piped in binds -Note by value (the first pass, no coercion): its ContactId and
    /// Id are the note's. -Id is not taken from the pipeline by property name, so a conversation's or a message's Id (they
    /// have a ContactId too) is never sent as a note id: such input is refused at binding.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NoteSet)]
    [OutputType(typeof(ContactNote))]
    public sealed class SetLcContactNoteCommand : LcBulkCmdlet
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
        public string? Body { get; set; }

        [Parameter]
        public string? Title { get; set; }

        [Parameter]
        public string? Color { get; set; }

        [Parameter]
        public bool? Pinned { get; set; }

        [Parameter]
        public string? UserId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private ContactNoteChanges Changes() => new ContactNoteChanges { Body = Body, Title = Title, Color = Color, Pinned = Pinned, UserId = UserId };

        protected override void Begin()
        {
            if (!Changes().HasChanges)
                Terminate("Nothing to change: give -Body, -Title, -Color, -Pinned or -UserId.", "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var contactId = ParameterSetName == NoteSet ? Note!.ContactId ?? "" : ContactId;
            var id = ParameterSetName == NoteSet ? Note!.Id ?? "" : Id;
            var changes = Changes();
            if (!TryPrepare(() => new ContactNoteOperations(Session).Update(contactId, id, changes), id, out var put, "InvalidNote")) return;
            if (!ShouldProcess($"note {id} of contact {contactId}", "Update note (" + Describe(changes) + ")")) return;
            Start(put, id, updated => { if (PassThru.IsPresent) WriteObject(updated); });
        }

        private static string Describe(ContactNoteChanges c)
        {
            var parts = new List<string>();
            if (c.Body != null) parts.Add("Body");
            if (c.Title != null) parts.Add("Title");
            if (c.Color != null) parts.Add($"Color={c.Color}");
            if (c.Pinned != null) parts.Add($"Pinned={c.Pinned}");
            if (c.UserId != null) parts.Add($"UserId={c.UserId}");
            return string.Join(", ", parts);
        }
    }
}
