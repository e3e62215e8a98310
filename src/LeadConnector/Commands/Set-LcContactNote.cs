using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcContactNote: PUT /contacts/{contactId}/notes/{id} with the given fields only.</summary>
    /// <remarks>Binding: a note piped in binds its ContactId and Id.</remarks>
    [Cmdlet(VerbsCommon.Set, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ContactNote))]
    public sealed class SetLcContactNoteCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("NoteId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

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
            var contactId = ContactId;
            var id = Id;
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
