using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcMessage: a conversation's messages (GET /conversations/{id}/messages, streamed page by page), one message by
    /// id (GET /conversations/messages/{id}), or, without a conversation, the location's messages
    /// (GET /conversations/messages/export, cursor-paged and streamed: nothing accumulates, whatever the count).
    /// </summary>
    /// <remarks>
    /// Binding: a conversation id string binds -ConversationId by value; an object with a ConversationId property binds it
    /// by name; a LeadConnector.Conversation binds -Conversation by value without coercion (the first pass), so its Id is
    /// the conversation id (-ConversationId cannot alias Id: -Id is the message id of the ById set). A LeadConnector.Contact
    /// binds -Contact the same way (the export of that contact's messages); the export's filters never bind from the pipeline.
    /// A message or a SendResult (Id/MessageId and ConversationId) binds the ById set: it is got again by its id.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "LcMessage", DefaultParameterSetName = ExportSet)]
    [OutputType(typeof(Message))]
    public sealed class GetLcMessageCommand : LcBulkCmdlet
    {
        private const string ListSet = "List";
        private const string ConversationSet = "Conversation";
        private const string EmailMessageSet = "EmailMessage";
        private const string ByIdSet = "ById";
        private const string ExportSet = "Export";

        // Also an optional member of ById, bound from nothing but the pipeline's by-name pass: a piped message or
        // SendResult (Id or MessageId, and ConversationId) then narrows to ById alone instead of being ambiguous between
        // List and ById, and is got by its id. There it is not sent: the message id alone names the message.
        [Parameter(ParameterSetName = ListSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ByIdSet, DontShow = true)]
        [LcId(LcIdKind.Conversation, Defer = new[] { typeof(Conversation), typeof(Contact), typeof(EmailMessage) }, PlainObjectsByName = true)]
        [ValidateNotNullOrEmpty]
        public string ConversationId { get; set; } = "";

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        // Typed, in a set of its own: a piped email message binds here by value (the first pass), so its Id (an email
        // message id) never binds -Id by name; its ConversationId lists its conversation.
        [Parameter(ParameterSetName = EmailMessageSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public EmailMessage? EmailMessage { get; set; }

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MessageId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [Parameter(ParameterSetName = EmailMessageSet)]
        [ArgumentCompleter(typeof(MessageTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Type { get; set; }

        // Typed, so a piped contact binds here by value in PowerShell's first pass (no coercion), before any
        // by-property-name match: its Id never reaches -Id.
        [Parameter(ParameterSetName = ExportSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Contact? Contact { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        [ValidateNotNullOrEmpty]
        public string? ContactId { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? LocationId { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        [ArgumentCompleter(typeof(ExportChannelCompleter))]
        [ValidateSet("Call", "SMS", "Email", "WhatsApp", "Instagram", "Facebook", IgnoreCase = true)]
        public string? Channel { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        public DateTime? Since { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        public DateTime? Until { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        [ValidateSet("createdAt", "updatedAt", IgnoreCase = true)]
        public string? SortBy { get; set; }

        [Parameter(ParameterSetName = ExportSet)]
        [ValidateSet("asc", "desc", IgnoreCase = true)]
        public string? SortOrder { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [Parameter(ParameterSetName = EmailMessageSet)]
        [Parameter(ParameterSetName = ExportSet)]
        [ValidateRange(0, int.MaxValue)]
        public int? First { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [Parameter(ParameterSetName = EmailMessageSet)]
        [Parameter(ParameterSetName = ExportSet)]
        public SwitchParameter All { get; set; }

        /// <summary>1 to 100 for a conversation's messages; 10 to 500 for the export.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [Parameter(ParameterSetName = EmailMessageSet)]
        [Parameter(ParameterSetName = ExportSet)]
        [ValidateRange(1, MessageOperations.ExportMaxPageSize)]
        public int? PageSize { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [Parameter(ParameterSetName = EmailMessageSet)]
        [Parameter(ParameterSetName = ExportSet)]
        public SwitchParameter IncludeEmailBody { get; set; }

        private string[]? _types;

        protected override void Begin()
        {
            Paging.RefuseAllWithFirst(this, All.IsPresent, First, "message");
            if (PageSize is int size)
            {
                var export = ParameterSetName == ExportSet;
                int min = export ? MessageOperations.ExportMinPageSize : 1, max = export ? MessageOperations.ExportMaxPageSize : MessageOperations.MaxPageSize;
                if (size < min || size > max)
                    Terminate($"-PageSize must be between {min} and {max} for {(export ? "the location's messages (the export)" : "a conversation's messages")}; it was {size}.",
                        "InvalidPageSize", ErrorCategory.InvalidArgument, size);
            }
            if (Type != null)
            {
                try { _types = Type.Select(MessageTypeNames.NormalizeFilter).Distinct().ToArray(); }
                catch (LcException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidMessageType", ErrorCategory.InvalidArgument, Type)); }
            }
        }

        protected override void Process()
        {
            var ops = new MessageOperations(Session);
            if (ParameterSetName == ByIdSet) StartEach(Id, "Get-LcMessage", ops.Get);
            else if (ParameterSetName == ExportSet) Export(ops);
            else List(ops, ParameterSetName == ConversationSet ? Conversation!.Id ?? "" : ParameterSetName == EmailMessageSet ? EmailMessage!.ConversationId ?? "" : ConversationId);
        }

        private void List(MessageOperations ops, string conversationId)
        {
            if (!TryPrepare(() => ops.List(conversationId, _types), conversationId, out var list)) return;
            var pager = new CursorPager<Message>(PageSize, First, All.IsPresent, MessageOperations.DefaultPageSize, MessageOperations.MaxPageSize);
            Paging.Page(this, list, pager, ProgressBar.MessagePaging, "Get-LcMessage", "messages", $"conversation {conversationId}", conversationId, m => Write(ops, m));
            if (pager.StoppedAtFirstPage)
                WriteWarning($"Returned the first {pager.Returned} messages of conversation {conversationId}; more remain. Use -All to get them all, or -First to set how many.");
        }

        private void Write(MessageOperations ops, Message m)
        {
            var message = m;
            if (IncludeEmailBody.IsPresent && message.IsEmail &&
                !TryAwait(call => ops.FillEmailBodyAsync(message, call), message.Id, out message))
                return;
            WriteObject(message);
        }

        /// <summary>The location's messages (GET /conversations/messages/export), written page by page as they arrive.</summary>
        private void Export(MessageOperations ops)
        {
            if (Contact != null && string.IsNullOrEmpty(Contact.Id))
            {
                WriteError(ErrorMap.Record(LcException.InvalidInput("The contact piped in has no Id."), "InvalidId", ErrorCategory.InvalidArgument, Contact));
                return;
            }
            var query = new MessageExportQuery
            {
                LocationId = Contact != null ? Contact.LocationId ?? LocationId : LocationId,
                ContactId = Contact != null ? Contact.Id : ContactId,
                Channel = Channel,
                Since = Dates.AsUtc(Since),
                Until = Dates.AsUtc(Until),
                SortBy = SortBy,
                SortOrder = SortOrder,
            };
            if (!TryPrepare(() => ops.Export(query), query.ContactId ?? query.LocationId ?? "export", out var export)) return;
            var location = export.LocationId;
            var pager = new CursorPager<Message>(PageSize, First, All.IsPresent, MessageOperations.ExportDefaultPageSize, MessageOperations.ExportMaxPageSize);
            Paging.Page(this, export, pager, ProgressBar.MessagePaging, "Get-LcMessage", "messages", $"location {location}", location, m => Write(ops, m));
            if (pager.StoppedAtFirstPage)
            {
                var of = pager.Total is int total && total > pager.Returned ? $" of {total}" : "";
                WriteWarning($"Returned the first {pager.Returned}{of} messages of location {location}; more remain. Use -All to get them all, or -First to set how many.");
            }
        }
    }
}
