namespace LeadConnector
{
    /// <summary>
    /// What Send-LcTypingIndicator told a live-chat visitor (POST /conversations/providers/live-chat/typing): the
    /// conversation, the visitor, whether the agent or bot is typing, and the API's success flag.
    /// </summary>
    public sealed class TypingIndicator
    {
        public string? ConversationId { get; set; }
        public string? VisitorId { get; set; }
        public string? LocationId { get; set; }
        public bool IsTyping { get; set; }
        /// <summary>The answer's success (CreateLiveChatMessageFeedbackResponse); null when it had none.</summary>
        public bool? Success { get; set; }

        public override string ToString() => ConversationId ?? "(typing indicator)";
    }
}
