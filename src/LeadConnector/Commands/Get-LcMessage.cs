using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcMessage: a conversation's messages (GET /conversations/{id}/messages, streamed page by page),
    /// or one message by id (GET /conversations/messages/{id}).
    /// </summary>
    /// <remarks>
    /// Binding: a conversation id string binds -ConversationId by value; an object with a ConversationId property binds it
    /// by name; a LeadConnector.Conversation binds -Conversation by value without coercion (the first pass), so its Id is
    /// the conversation id (-ConversationId cannot alias Id: -Id is the message id of the ById set).
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "LcMessage", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(Message))]
    public sealed class GetLcMessageCommand : LcCmdlet
    {
        private const string ListSet = "List";
        private const string ConversationSet = "Conversation";
        private const string ByIdSet = "ById";

        [Parameter(ParameterSetName = ListSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ConversationId { get; set; } = "";

        [Parameter(ParameterSetName = ConversationSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Conversation? Conversation { get; set; }

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MessageId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [ArgumentCompleter(typeof(MessageTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Type { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [ValidateRange(0, int.MaxValue)]
        public int? First { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        public SwitchParameter All { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        [ValidateRange(1, MessageOperations.MaxPageSize)]
        public int? PageSize { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = ConversationSet)]
        public SwitchParameter IncludeEmailBody { get; set; }

        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter(ParameterSetName = ByIdSet)]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override int ThrottleLimitValue => ThrottleLimit;

        [Parameter]
        public Connection? Connection { get; set; }

        private string[]? _types;

        protected override void Begin()
        {
            if (All.IsPresent && First != null)
                Terminate("Use -All to read every message, or -First to stop after a number of them, not both.",
                    "ConflictingParameters", ErrorCategory.InvalidArgument, null);
            if (Type != null)
            {
                try { _types = Type.Select(MessageTypeNames.NormalizeFilter).Distinct().ToArray(); }
                catch (LcException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidMessageType", ErrorCategory.InvalidArgument, Type)); }
            }
        }

        protected override void Process()
        {
            var ops = new MessageOperations(RequireConnection(Connection));
            if (ParameterSetName == ByIdSet)
            {
                // Up to -ThrottleLimit requests in flight, results written in input order. With an array of ids the bar
                // counts the requests as they start and closes once the last result is written (piped ids come one per
                // record: no bar, and the window stays open across records).
                var bar = Id.Length > 1 ? new ProgressBar(this, ProgressBar.Items, "Get-LcMessage") : null;
                try
                {
                    for (int i = 0; i < Id.Length; i++)
                    {
                        var id = Id[i];
                        bar?.Item(i, Id.Length, id);
                        Start(call => ops.GetAsync(id, call), id, message => WriteObject(message));
                    }
                    if (bar != null) Drain();
                }
                finally
                {
                    bar?.Complete();
                }
                return;
            }
            var conversationId = ParameterSetName == ConversationSet ? Conversation!.Id ?? "" : ConversationId;
            List(ops, conversationId);
        }

        private void List(MessageOperations ops, string conversationId)
        {
            CursorPager<Message>? pager = null;
            if (!TryValidate(() =>
            {
                Engine.InputGuard.Id(conversationId, "conversation id");
                pager = new CursorPager<Message>(PageSize, First, All.IsPresent, MessageOperations.DefaultPageSize, MessageOperations.MaxPageSize);
            }, conversationId)) return;
            bool showProgress = All.IsPresent || First != null;
            int page = 0;
            var bar = new ProgressBar(this, ProgressBar.MessagePaging, "Get-LcMessage");
            try
            {
                while (!pager!.Done)
                {
                    var limit = pager.NextLimit();
                    var cursor = pager.Cursor;
                    if (!TryAwait(call => ops.ListAsync(conversationId, _types, limit, cursor, call), conversationId, out var result))
                        break;
                    page++;
                    foreach (var m in pager.Accept(result))
                    {
                        var message = m;
                        if (IncludeEmailBody.IsPresent && message.IsEmail &&
                            !TryAwait(call => ops.FillEmailBodyAsync(message, call), message.Id, out message))
                            continue;
                        WriteObject(message);
                    }
                    if (showProgress && !pager.Done) bar.Page(page, pager.Returned, First, pager.Total, "messages", $"conversation {conversationId}");
                }
            }
            finally
            {
                bar.Complete();
            }
            if (pager.StoppedAtFirstPage)
                WriteWarning($"Returned the first {pager.Returned} messages of conversation {conversationId}; more remain. Use -All to get them all, or -First to set how many.");
        }
    }
}
