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
    public sealed class GetLcMessageCommand : LcBulkCmdlet
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

        private string[]? _types;

        protected override void Begin()
        {
            Paging.RefuseAllWithFirst(this, All.IsPresent, First, "message");
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
            else List(ops, ParameterSetName == ConversationSet ? Conversation!.Id ?? "" : ConversationId);
        }

        private void List(MessageOperations ops, string conversationId)
        {
            if (!TryPrepare(() => ops.List(conversationId, _types), conversationId, out var list)) return;
            var pager = new CursorPager<Message>(PageSize, First, All.IsPresent, MessageOperations.DefaultPageSize, MessageOperations.MaxPageSize);
            Paging.Page(this, list, pager, ProgressBar.MessagePaging, "Get-LcMessage", "messages", $"conversation {conversationId}", conversationId, m =>
                {
                    var message = m;
                    if (IncludeEmailBody.IsPresent && message.IsEmail &&
                        !TryAwait(call => ops.FillEmailBodyAsync(message, call), message.Id, out message))
                        return;
                    WriteObject(message);
                });
            if (pager.StoppedAtFirstPage)
                WriteWarning($"Returned the first {pager.Returned} messages of conversation {conversationId}; more remain. Use -All to get them all, or -First to set how many.");
        }
    }
}
