using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>New-LcConversation: POST /conversations/ for a contact.</summary>
    [Cmdlet(VerbsCommon.New, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Conversation))]
    public sealed class NewLcConversationCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override int ThrottleLimitValue => ThrottleLimit;

        [Parameter]
        public Connection? Connection { get; set; }

        protected override void Process()
        {
            var ops = new ConversationOperations(RequireConnection(Connection));
            string location = "";
            if (!TryValidate(() => { location = ops.ResolveLocation(LocationId); Engine.InputGuard.Id(ContactId, "contact id"); }, ContactId))
                return;
            var contactId = ContactId;
            if (!ShouldProcess($"contact {contactId} in location {location}", "Create conversation")) return;
            Start(call => ops.CreateAsync(location, contactId, call), contactId, created => WriteObject(created));
        }
    }
}
