using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>New-LcContactNote: POST /contacts/{contactId}/notes. Never resent unless it provably did not reach the API.</summary>
    /// <remarks>Binding: a ContactId property (a conversation, a message, a note) wins over the Id alias; a contact binds its Id.</remarks>
    [Cmdlet(VerbsCommon.New, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ContactNote))]
    public sealed class NewLcContactNoteCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public string Body { get; set; } = "";

        [Parameter]
        public string? Title { get; set; }

        [Parameter]
        public string? Color { get; set; }

        [Parameter]
        public SwitchParameter Pinned { get; set; }

        [Parameter]
        public string? UserId { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            var note = new ContactNoteChanges
            {
                Body = Body,
                Title = Title,
                Color = Color,
                Pinned = MyInvocation.BoundParameters.ContainsKey(nameof(Pinned)) ? Pinned.IsPresent : (bool?)null,
                UserId = UserId,
            };
            if (!TryPrepare(() => new ContactNoteOperations(Session).Create(contactId, note), contactId, out var create, "InvalidNote")) return;
            if (!ShouldProcess($"contact {contactId}", Title == null ? "Add note" : $"Add note '{Title}'")) return;
            Start(create, contactId, created => WriteObject(created));
        }
    }
}
