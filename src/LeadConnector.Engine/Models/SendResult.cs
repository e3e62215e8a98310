using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The answer to POST /conversations/messages (SendMessageResponseDto).</summary>
    public sealed class SendResult
    {
        public string? ConversationId { get; set; }
        public string? MessageId { get; set; }
        public StringList MessageIds { get; set; } = StringList.Empty;
        public string? EmailMessageId { get; set; }
        /// <summary>The API's "msg".</summary>
        public string? Message { get; set; }
        public string? Status { get; set; }

        public override string ToString() => MessageId ?? "(sent)";

        internal static readonly FieldMap<SendResult> Fields = new FieldMap<SendResult>(() => new SendResult())
            .Add("conversationId", (ref JsonSource s, SendResult r) => r.ConversationId = s.String())
            .Add("messageId", (ref JsonSource s, SendResult r) => r.MessageId = s.String())
            .Add("emailMessageId", (ref JsonSource s, SendResult r) => r.EmailMessageId = s.String())
            .Add("messageIds", (ref JsonSource s, SendResult r) => r.MessageIds = StringList.Of(s.Strings()))
            .Add("msg", (ref JsonSource s, SendResult r) => r.Message = s.String())
            .Add("status", (ref JsonSource s, SendResult r) => r.Status = s.String());
    }
}
