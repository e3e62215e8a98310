using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcConversation: PUT /conversations/{id} with the given changes.</summary>
    [Cmdlet(VerbsCommon.Set, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Conversation))]
    public sealed class SetLcConversationCommand : LcBulkCmdlet
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
            var id = Id;
            var update = Changes();
            if (!TryPrepare(() => new ConversationOperations(Session).Update(id, update), id, out var put)) return;
            if (!ShouldProcess($"conversation {id}", "Update conversation (" + Describe(update) + ")")) return;
            Start(put, id, updated => { if (PassThru.IsPresent) WriteObject(updated); });
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
