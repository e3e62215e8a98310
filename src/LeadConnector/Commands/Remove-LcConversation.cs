using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcConversation: DELETE /conversations/{id}. Asks first unless -Force.</summary>
    [Cmdlet(VerbsCommon.Remove, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcConversationCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ConversationId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        public SwitchParameter Force { get; set; }

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
            var id = Id;
            if (!TryValidate(() => Engine.InputGuard.Id(id, "conversation id"), id)) return;
            if (!ShouldProcessOrForce($"conversation {id}", "Remove conversation", Force.IsPresent)) return;
            Start(call => ops.DeleteAsync(id, call), id, () => WriteVerbose($"Removed conversation {id}."));
        }
    }
}
