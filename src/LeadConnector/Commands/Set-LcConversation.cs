using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcConversation: PUT /conversations/{id} with the given changes.</summary>
    [Cmdlet(VerbsCommon.Set, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Conversation))]
    public sealed class SetLcConversationCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ConversationId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? UnreadCount { get; set; }

        [Parameter]
        public bool? Starred { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Feedback { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override int ThrottleLimitValue => ThrottleLimit;

        [Parameter]
        public Connection? Connection { get; set; }

        /// <summary>-Feedback as plain values (<see cref="PlainValues.ToPlain"/>), converted once: it is the same for every record.</summary>
        private IDictionary? _feedback;

        private ConversationUpdate Changes() => new ConversationUpdate
        {
            LocationId = LocationId,
            UnreadCount = UnreadCount,
            Starred = Starred,
            Feedback = _feedback,
        };

        protected override void Begin()
        {
            try
            {
                _feedback = Feedback == null ? null : (IDictionary)PlainValues.ToPlain(Feedback, "-Feedback")!;
                RawOperations.BodyJson(_feedback, "feedback"); // a value with no JSON form is refused here, before anything is sent
            }
            catch (LcException ex)
            {
                Terminate(ex.Message, "InvalidFeedback", ErrorCategory.InvalidArgument, Feedback);
            }
            if (!Changes().HasChanges)
                Terminate("Nothing to change: give -UnreadCount, -Starred or -Feedback.", "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var ops = new ConversationOperations(RequireConnection(Connection));
            var update = Changes();
            if (!TryValidate(() => { update.LocationId = ops.ResolveLocation(LocationId); Engine.InputGuard.Id(Id, "conversation id"); }, Id))
                return;
            if (!ShouldProcess($"conversation {Id}", "Update conversation (" + Describe(update) + ")")) return;
            var id = Id;
            Start(call => ops.UpdateAsync(id, update, call), id, updated => { if (PassThru.IsPresent) WriteObject(updated); });
        }

        private static string Describe(ConversationUpdate u)
        {
            var parts = new List<string>();
            if (u.UnreadCount != null) parts.Add($"UnreadCount={u.UnreadCount}");
            if (u.Starred != null) parts.Add($"Starred={u.Starred}");
            if (u.Feedback != null) parts.Add("Feedback");
            return string.Join(", ", parts);
        }
    }
}
