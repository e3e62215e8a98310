using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>New-LcContactNote: POST /contacts/{contactId}/notes. Never resent unless it provably did not reach the API.</summary>
    /// <remarks>Binding: a ContactId property (a conversation, a message, a note) wins over the Id alias; a contact binds its Id.</remarks>
    [Cmdlet(VerbsCommon.New, "LcContactNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ContactNote))]
    public sealed class NewLcContactNoteCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: a create an earlier run may have sent is looked up among the contact's notes first.</summary>
        internal override bool CheckpointRepeatable => false;

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
            var ops = new ContactNoteOperations(Session);
            var body = Body;
            // A note of this contact with the same body, added since the earlier run's send, is the one that send made.
            Start(create, contactId, created => WriteObject(created), async (call, sentAt) =>
            {
                var since = sentAt - NewLcContactCommand.ClockSkew;
                foreach (var n in await ops.List(contactId).SendAsync(call).ConfigureAwait(false))
                    if (n.Body == body && (n.DateAdded == null || n.DateAdded >= since)) return (true, n);
                return (false, default(ContactNote)!);
            });
        }
    }
}
