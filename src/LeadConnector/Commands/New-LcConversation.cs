using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>New-LcConversation: POST /conversations/ for a contact.</summary>
    [Cmdlet(VerbsCommon.New, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Conversation))]
    public sealed class NewLcConversationCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            if (!TryPrepare(() => new ConversationOperations(Session).Create(LocationId, contactId), contactId, out var create)) return;
            if (!ShouldProcess($"contact {contactId} in location {create.LocationId}", "Create conversation")) return;
            Start(create, contactId, created => WriteObject(created));
        }
    }
}
