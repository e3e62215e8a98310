using System;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The answer to POST /conversations/messages/inbound and /outbound (ProcessMessageResponseDto).</summary>
    public sealed class AddMessageResult
    {
        public bool? Success { get; set; }
        public string? ConversationId { get; set; }
        public string? MessageId { get; set; }
        /// <summary>The API's "message": what it says about the added message.</summary>
        public string? Message { get; set; }
        public string? ContactId { get; set; }
        public DateTimeOffset? DateAdded { get; set; }
        public string? EmailMessageId { get; set; }

        public override string ToString() => MessageId ?? "(added)";

        internal static readonly FieldMap<AddMessageResult> Fields = new FieldMap<AddMessageResult>(() => new AddMessageResult())
            .Add("success", (ref JsonSource s, AddMessageResult r) => r.Success = s.Bool())
            .Add("conversationId", (ref JsonSource s, AddMessageResult r) => r.ConversationId = s.String())
            .Add("messageId", (ref JsonSource s, AddMessageResult r) => r.MessageId = s.String())
            .Add("message", (ref JsonSource s, AddMessageResult r) => r.Message = s.String())
            .Add("contactId", (ref JsonSource s, AddMessageResult r) => r.ContactId = s.String())
            .Add("dateAdded", (ref JsonSource s, AddMessageResult r) => r.DateAdded = s.Date())
            .Add("emailMessageId", (ref JsonSource s, AddMessageResult r) => r.EmailMessageId = s.String());
    }
}
