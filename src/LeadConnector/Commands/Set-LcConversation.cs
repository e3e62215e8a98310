using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcConversation: PUT /conversations/{id} with the given changes.</summary>
    /// <remarks>
    /// Binding: a LeadConnector.Conversation binds -Conversation by value (PowerShell's first pass), and in that set the
    /// changes come from the command line only, so a conversation's own UnreadCount and Starred, read before, are never
    /// sent back. Anything else binds -Id by what it is (<see cref="LcIdAttribute"/>: a message gives its ConversationId),
    /// and there a CSV row's Starred and UnreadCount columns are its changes, checked per row.
    /// The default set is the typed one: PowerShell tries the default set first, with coercion, and a conversation
    /// would otherwise bind -Id as its string (and bring its UnreadCount and Starred by name).
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ConversationSet)]
    [OutputType(typeof(Conversation))]
    public sealed class SetLcConversationCommand : LcBulkCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ConversationSet = "Conversation";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation, Defer = new[] { typeof(Conversation) })]
        [Alias("ConversationId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        [Parameter(ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConversationSet)]
        [CountTextTransformation] // a negative count is refused by the operation, before anything is sent
        public int? UnreadCount { get; set; }

        [Parameter(ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConversationSet)]
        [BoolTextTransformation]
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

        private const string NothingMessage = "Nothing to change: give -UnreadCount, -Starred or -Feedback (or Starred and UnreadCount columns in the piped rows).";

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
            // Piped rows may bring their own changes (CSV columns), checked per row; a typed conversation brings none.
            if (!MyInvocation.ExpectingInput && !Changes().HasChanges)
                Terminate(NothingMessage, "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var known = ParameterSetName == ConversationSet ? Conversation : null;
            var id = known != null ? known.Id ?? "" : Id;
            var update = Changes();
            if (!update.HasChanges)
            {
                if (known != null) Terminate(NothingMessage, "NothingToUpdate", ErrorCategory.InvalidArgument, null); // the same for every conversation

                WriteError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, NothingMessage), "NothingToUpdate", ErrorCategory.InvalidArgument, id));
                return;
            }
            var operations = new ConversationOperations(Session);
            if (!TryPrepare(() => operations.Update(id, update), id, out var put)) return;
            if (!ShouldProcess($"conversation {id}", "Update conversation (" + Describe(update) + ")")) return;
            if (!PassThru.IsPresent)
            {
                Start(put, id, _ => { });
                return;
            }
            // The API answers an update with part of the conversation (no type, no contact name): the output is filled
            // from the piped conversation, or, for an id, read back with one GET.
            Start(operations.UpdateAndFill(put, known), id, updated => WriteObject(updated));
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
