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

        [Parameter]
        public Connection? Connection { get; set; }

        protected override void Process()
        {
            var ops = new ConversationOperations(RequireConnection(Connection));
            string location = "";
            if (!TryValidate(() => { location = ops.ResolveLocation(LocationId); Engine.InputGuard.Id(ContactId, "contact id"); }, ContactId))
                return;
            if (!ShouldProcess($"contact {ContactId} in location {location}", "Create conversation")) return;
            if (TryAwait(call => ops.CreateAsync(location, ContactId, call), ContactId, out var created))
                WriteObject(created);
        }
    }
}
