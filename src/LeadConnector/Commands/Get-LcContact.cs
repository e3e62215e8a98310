using System.Collections;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcContact: by id (GET /contacts/{id}), by search (POST /contacts/search with query, filters and sort, streaming
    /// page by page with the searchAfter cursor), or the duplicate of an email or phone (GET /contacts/search/duplicate).
    /// </summary>
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
        private const string DuplicateSet = "Duplicate";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact, Defer = new[] { typeof(Conversation), typeof(Message) })]
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

        /// <summary>Advanced-search filters, sent as the body's filters: @{ field; operator; value } or @{ group = 'OR'; filters = @(...) }.</summary>
        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNull]
        public Hashtable[]? Filter { get; set; }

        /// <summary>The order: @{ field = 'dateAdded'; direction = 'desc' }, sent as the body's sort.</summary>
        [Parameter(ParameterSetName = SearchSet)]
        [ValidateNotNull]
        public Hashtable[]? Sort { get; set; }

        [Parameter(ParameterSetName = DuplicateSet)]
        [ValidateNotNullOrEmpty]
        public string? Email { get; set; }

        [Parameter(ParameterSetName = DuplicateSet)]
        [ValidateNotNullOrEmpty]
        public string? Phone { get; set; }

        [Parameter(ParameterSetName = SearchSet)]
        [Parameter(ParameterSetName = DuplicateSet)]
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

        private IList? _filters, _sort;

        protected override void Begin()
        {
            Paging.RefuseAllWithFirst(this, All.IsPresent, First);
            if (ParameterSetName == DuplicateSet && Email == null && Phone == null)
                Terminate("Give -Email or -Phone (or both) to look up a duplicate.", "NothingToLookUp", ErrorCategory.InvalidArgument, null);
            try
            {
                _filters = Filter == null ? null : (IList)PlainValues.ToPlain(Filter, "-Filter")!;
                _sort = Sort == null ? null : (IList)PlainValues.ToPlain(Sort, "-Sort")!;
            }
            catch (LcException ex)
            {
                Terminate(ex.Message, "InvalidFilter", ErrorCategory.InvalidArgument, null);
            }
        }

        protected override void Process()
        {
            var ops = new ContactOperations(Session);
            if (ParameterSetName == SearchSet)
            {
                Search(ops);
                return;
            }
            if (ParameterSetName == DuplicateSet)
            {
                if (!TryPrepare(() => ops.FindDuplicate(LocationId, Email, Phone), Email ?? Phone, out var lookup, "InvalidFilter")) return;
                Start(lookup, Email ?? Phone, found => { if (found != null) WriteObject(found); });
                return;
            }
            var ids = ParameterSetName == ConversationSet ? new[] { Conversation!.ContactId ?? "" }
                : ParameterSetName == MessageSet ? new[] { Message!.ContactId ?? "" }
                : Id;
            StartEach(ids, "Get-LcContact", ops.Get);
        }

        private void Search(ContactOperations ops)
        {
            if (!TryPrepare(() => ops.Search(LocationId, Query, _filters, _sort), LocationId, out var search, "InvalidFilter")) return;
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
