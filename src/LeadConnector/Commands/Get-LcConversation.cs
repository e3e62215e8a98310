using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Get-LcConversation: by id (GET /conversations/{id}) or by search, streaming page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "LcConversation", DefaultParameterSetName = SearchSet)]
    [OutputType(typeof(Conversation))]
    public sealed class GetLcConversationCommand : LcBulkCmdlet
    {
        private const string SearchSet = "Search";
        private const string ByIdSet = "ById";
        private const string ByMessageSet = "ByMessage";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Conversation, Defer = new[] { typeof(Contact), typeof(Message) })]
        [Alias("ConversationId")]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        // Typed, so a piped contact binds here by value in PowerShell's first pass (no coercion), before any
        // by-property-name match: its Id never reaches -Id. A conversation (Id and ContactId) is no Contact and binds -Id.
        [Parameter(ParameterSetName = SearchSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Contact? Contact { get; set; }

        // Typed, like -Contact: a piped message binds here by value before its Id could bind -Id by property name, so
        // the message's ConversationId is read, never its own Id sent as a conversation id.
        [Parameter(ParameterSetName = ByMessageSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Message? Message { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public string? ContactId { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNullOrEmpty]
        public string[]? AssignedTo { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public string? Query { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(ConversationStatusCompleter))]
        [ApiSpelling(typeof(ConversationStatusCompleter))]
        [ValidateSet("all", "read", "unread", "starred", "recents")]
        public string? Status { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(LastMessageTypeCompleter))]
        [ApiSpelling(typeof(LastMessageTypeCompleter), TypePrefix = true, Strict = true)]
        public string? LastMessageType { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(MessageDirectionCompleter))]
        [ApiSpelling(typeof(MessageDirectionCompleter))]
        [ValidateSet("inbound", "outbound")]
        public string? LastMessageDirection { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(SortCompleter))]
        [ApiSpelling(typeof(SortCompleter))]
        [ValidateSet("asc", "desc")]
        public string? Sort { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(SortByCompleter))]
        [ApiSpelling(typeof(SortByCompleter))]
        [ValidateSet("last_message_date", "last_manual_message_date", "score_profile", "overdue_at", "due_at")]
        public string? SortBy { get; set; }

        /// <summary>The action of the last outbound message: automated (workflows, campaigns) or manual (a person).</summary>
        [Parameter(ParameterSetName = SearchSet)]
        [ValidateSet("automated", "manual")]
        public string? LastMessageAction { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Follower { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Mention { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNullOrEmpty]
        public string? ScoreProfile { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public double? ScoreProfileMin { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public double? ScoreProfileMax { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNullOrEmpty]
        public string? SortScoreProfile { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public DateTime? StartDate { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public DateTime? EndDate { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateRange(0, int.MaxValue)]
        public int? First { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public SwitchParameter All { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateRange(1, ConversationOperations.MaxPageSize)]
        public int? PageSize { get; set; }

        protected override void Begin() => Paging.RefuseAllWithFirst(this, All.IsPresent, First);

        protected override void Process()
        {
            var ops = new ConversationOperations(Session);
            if (Id != null) StartEach(Id, "Get-LcConversation", ops.Get);
            else if (Message != null)
            {
                if (string.IsNullOrEmpty(Message.ConversationId))
                {
                    WriteError(ErrorMap.Record(LcException.InvalidInput($"The message {Message.Id} has no ConversationId: nothing was sent."),
                        "MessageWithoutConversation", ErrorCategory.InvalidArgument, Message));
                    return;
                }
                StartEach(new[] { Message.ConversationId! }, "Get-LcConversation", ops.Get);
            }
            else Search(ops);
        }

        private void Search(ConversationOperations ops)
        {
            var query = new ConversationQuery
            {
                LocationId = Contact != null ? Contact.LocationId ?? LocationId : LocationId,
                ContactId = Contact != null ? Contact.Id ?? "" : ContactId,
                AssignedTo = AssignedTo,
                Query = Query,
                Status = Status,
                LastMessageType = LastMessageType,
                LastMessageDirection = LastMessageDirection,
                Sort = Sort,
                SortBy = SortBy,
                StartDate = Dates.AsUtc(StartDate),
                EndDate = Dates.AsUtc(EndDate),
                LastMessageAction = LastMessageAction,
                Followers = Follower,
                Mentions = Mention,
                ScoreProfile = ScoreProfile,
                ScoreProfileMin = ScoreProfileMin,
                ScoreProfileMax = ScoreProfileMax,
                SortScoreProfile = SortScoreProfile,
            };
            var target = query.LocationId ?? "search";
            if (!TryPrepare(() => ops.Search(query), target, out var search, "InvalidSearch")) return;
            var pager = new CursorPager<Conversation>(PageSize, First, All.IsPresent, ConversationOperations.DefaultPageSize, ConversationOperations.MaxPageSize);
            Paging.Page(this, search, pager, ProgressBar.ConversationPaging, "Get-LcConversation", "conversations", null, target, c => WriteObject(c));
            if (pager.StoppedAtFirstPage && pager.Total is int total && total > pager.Returned)
                WriteWarning($"Returned the first {pager.Returned} of {total} matching conversations; {total - pager.Returned} more match. Use -All to get them all, or -First to set how many.");
        }
    }
}
