using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Get-LcContact: by id (GET /contacts/{id}) or by search (POST /contacts/search), streaming page by page.</summary>
    /// <remarks>
    /// Binding: ids come by value or by the Id/ContactId property. A LeadConnector.Conversation binds -Conversation and a
    /// LeadConnector.Message binds -Message by value in the first pass (no coercion), so their ContactId is used, not their
    /// Id (which PowerShell would otherwise bind to -Id, since a parameter's name wins over its aliases).
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "LcContact", DefaultParameterSetName = SearchSet)]
    [OutputType(typeof(Contact))]
    public sealed class GetLcContactCommand : LcBulkCmdlet
    {
        private const string SearchSet = "Search";
        private const string ByIdSet = "ById";
        private const string ConversationSet = "Conversation";
        private const string MessageSet = "Message";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContactId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        [Parameter(ParameterSetName = MessageSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Message? Message { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public string? Query { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateRange(0, int.MaxValue)]
        public int? First { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        public SwitchParameter All { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [ValidateRange(1, ContactOperations.MaxPageSize)]
        public int? PageSize { get; set; }

        protected override void Begin() => Paging.RefuseAllWithFirst(this, All.IsPresent, First);

        protected override void Process()
        {
            var ops = new ContactOperations(Session);
            if (ParameterSetName == SearchSet)
            {
                Search(ops);
                return;
            }
            var ids = ParameterSetName == ConversationSet ? new[] { Conversation!.ContactId ?? "" }
                : ParameterSetName == MessageSet ? new[] { Message!.ContactId ?? "" }
                : Id;
            StartEach(ids, "Get-LcContact", ops.Get);
        }

        private void Search(ContactOperations ops)
        {
            if (!TryPrepare(() => ops.Search(LocationId, Query), LocationId, out var search)) return;
            var pager = new CursorPager<Contact>(PageSize, First, All.IsPresent, ContactOperations.DefaultPageSize, ContactOperations.MaxPageSize);
            Paging.Page(this, search, pager, ProgressBar.ContactPaging, "Get-LcContact", "contacts", null, search.LocationId, c => WriteObject(c));
            if (pager.StoppedAtFirstPage)
            {
                var more = pager.Total is int total && total > pager.Returned ? $" of {total} matching contacts; {total - pager.Returned} more match" : " matching contacts; more match";
                WriteWarning($"Returned the first {pager.Returned}{more}. Use -All to get them all, or -First to set how many.");
            }
        }
    }
}
