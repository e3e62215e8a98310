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
            RefuseAllWithFirst(All.IsPresent, First, "message");
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
                StartEach(Id, "Get-LcMessage", ops.GetAsync);
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
            Page(pager!, ProgressBar.MessagePaging, "Get-LcMessage", "messages", $"conversation {conversationId}", conversationId,
                (limit, cursor, call) => ops.ListAsync(conversationId, _types, limit, cursor, call), m =>
                {
                    var message = m;
                    if (IncludeEmailBody.IsPresent && message.IsEmail &&
                        !TryAwait(call => ops.FillEmailBodyAsync(message, call), message.Id, out message))
                        return;
                    WriteObject(message);
                });
            if (pager!.StoppedAtFirstPage)
                WriteWarning($"Returned the first {pager.Returned} messages of conversation {conversationId}; more remain. Use -All to get them all, or -First to set how many.");
        }
    }
}
