using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Send-LcReviewReply: POST /conversations/messages/review-reply (SendReviewReplyDto), a public reply to the Google
    /// review a conversation came from. The API refuses a conversation that is not a review's.
    /// </summary>
    /// <remarks>
    /// Binding: a LeadConnector.Conversation binds -Conversation by value (its Id is the conversation id); any other object
    /// binds -ConversationId by property name (a message's ConversationId). There is no Id alias: a contact's or message's
    /// Id is never sent as a conversation id. The Conversation set is the default: PowerShell picks the default set before
    /// it binds a piped object, and only from that set can a conversation bind by value (a message, which cannot, makes it
    /// fall back to the ConversationId set). No parameter but those two binds from the pipeline for the same reason.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Send, "LcReviewReply", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ConversationSet)]
    [OutputType(typeof(SendResult))]
    public sealed class SendLcReviewReplyCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: a send an earlier run may have made is not repeated (CheckpointUncertain), never guessed.</summary>
        internal override bool CheckpointRepeatable => false;

        private const string ByIdSet = "ById";
        private const string ConversationSet = "Conversation";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation, Defer = new[] { typeof(Conversation) })]
        [ValidateNotNullOrEmpty]
        public string ConversationId { get; set; } = "";

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Message { get; set; } = "";

        /// <summary>Not bound from the pipeline: a piped conversation's own LocationId is used, else the connection's.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        protected override void Process()
        {
            var conversationId = ParameterSetName == ConversationSet ? Conversation!.Id ?? "" : ConversationId;
            var location = ParameterSetName == ConversationSet ? LocationId ?? Conversation!.LocationId : LocationId;
            if (!TryPrepare(() => new ReviewOperations(Session).Reply(conversationId, Message, location), conversationId, out var post, "InvalidReviewReply")) return;
            if (!ShouldProcess($"conversation {conversationId} in location {post.LocationId}", "Post a public reply to the review")) return;
            Start(post, conversationId, result => WriteObject(result));
        }
    }
}
