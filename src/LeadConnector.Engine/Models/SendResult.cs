using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The answer to POST /conversations/messages (SendMessageResponseDto): every field.</summary>
    public sealed class SendResult
    {
        public string? ConversationId { get; set; }
        public string? MessageId { get; set; }
        /// <summary>The GMB channel returns several message ids instead of one.</summary>
        public StringList MessageIds { get; set; } = StringList.Empty;
        /// <summary>The email message id (Email only): the id inbound replies thread on.</summary>
        public string? EmailMessageId { get; set; }
        /// <summary>The API's "msg".</summary>
        public string? Message { get; set; }
        /// <summary>delivered, failed, pending or read.</summary>
        public string? Status { get; set; }
        /// <summary>What was forwarded (forwardData), for a forwarded email; null otherwise.</summary>
        public ForwardData? ForwardData { get; set; }
        /// <summary>The URLs of the files -AttachmentPath uploaded and sent with the message (not an API field); empty when none.</summary>
        public StringList UploadedAttachments { get; set; } = StringList.Empty;

        public override string ToString() => MessageId ?? "(sent)";

        internal static readonly FieldMap<SendResult> Fields = new FieldMap<SendResult>(() => new SendResult())
            .Add("conversationId", (ref JsonSource s, SendResult r) => r.ConversationId = s.String())
            .Add("messageId", (ref JsonSource s, SendResult r) => r.MessageId = s.String())
            .Add("emailMessageId", (ref JsonSource s, SendResult r) => r.EmailMessageId = s.String())
            .Add("messageIds", (ref JsonSource s, SendResult r) => r.MessageIds = StringList.Of(s.Strings()))
            .Add("msg", (ref JsonSource s, SendResult r) => r.Message = s.String())
            .Add("forwardData", (ref JsonSource s, SendResult r) => r.ForwardData = ForwardData.Read(ref s))
            .Add("status", (ref JsonSource s, SendResult r) => r.Status = s.String());
    }

    /// <summary>The forwardData of a send answer (ForwardResponseDto): what was forwarded, and where.</summary>
    public sealed class ForwardData
    {
        public bool? ForwardWholeThread { get; set; }
        public string? MessageId { get; set; }
        public string? EmailMessageId { get; set; }
        public string? SourceContactId { get; set; }
        public string? SourceConversationId { get; set; }
        public string? ForwardToEmail { get; set; }
        public string? RecipientContactId { get; set; }
        public string? RecipientConversationId { get; set; }

        public override string ToString() => ForwardToEmail ?? RecipientContactId ?? MessageId ?? "(forwarded)";

        internal static readonly FieldMap<ForwardData> Fields = new FieldMap<ForwardData>(() => new ForwardData())
            .Add("forwardWholeThread", (ref JsonSource s, ForwardData f) => f.ForwardWholeThread = s.Bool())
            .Add("messageId", (ref JsonSource s, ForwardData f) => f.MessageId = s.String())
            .Add("emailMessageId", (ref JsonSource s, ForwardData f) => f.EmailMessageId = s.String())
            .Add("sourceContactId", (ref JsonSource s, ForwardData f) => f.SourceContactId = s.String())
            .Add("sourceConversationId", (ref JsonSource s, ForwardData f) => f.SourceConversationId = s.String())
            .Add("forwardToEmail", (ref JsonSource s, ForwardData f) => f.ForwardToEmail = s.String())
            .Add("recipientContactId", (ref JsonSource s, ForwardData f) => f.RecipientContactId = s.String())
            .Add("recipientConversationId", (ref JsonSource s, ForwardData f) => f.RecipientConversationId = s.String());

        /// <summary>The object at the current token, or null for anything else (skipped).</summary>
        internal static ForwardData? Read(ref JsonSource s)
        {
            if (s.Token == JsonTokenType.StartObject) return Fields.ReadNew(ref s);
            s.Skip();
            return null;
        }
    }
}
