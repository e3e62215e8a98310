using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Send-LcTypingIndicator: POST /conversations/providers/live-chat/typing (UserTypingBody): shows a live-chat visitor
    /// that an agent or a bot is typing (-IsTyping $false hides it again).
    /// </summary>
    /// <remarks>
    /// Binding: as Send-LcReviewReply, a LeadConnector.Conversation binds -Conversation by value and any other object binds
    /// -ConversationId by property name (no Id alias); -VisitorId binds by property name.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Send, "LcTypingIndicator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ConversationSet)]
    [OutputType(typeof(TypingIndicator))]
    public sealed class SendLcTypingIndicatorCommand : LcBulkCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ConversationSet = "Conversation";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation, Defer = new[] { typeof(Conversation) })]
        [ValidateNotNullOrEmpty]
        public string ConversationId { get; set; } = "";

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string VisitorId { get; set; } = "";

        [Parameter]
        public bool IsTyping { get; set; } = true;

        /// <summary>Not bound from the pipeline: a piped conversation's own LocationId is used, else the connection's.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            var conversationId = ParameterSetName == ConversationSet ? Conversation!.Id ?? "" : ConversationId;
            var location = ParameterSetName == ConversationSet ? LocationId ?? Conversation!.LocationId : LocationId;
            var typing = IsTyping;
            if (!TryPrepare(() => new LiveChatOperations(Session).Typing(conversationId, VisitorId, typing, location), conversationId, out var post)) return;
            if (!ShouldProcess($"conversation {conversationId} (visitor {VisitorId})", typing ? "Show the typing indicator" : "Hide the typing indicator")) return;
            Start(post, conversationId, result => { if (PassThru.IsPresent) WriteObject(result); });
        }
    }
}
