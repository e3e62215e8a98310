using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>Message endpoints.</summary>
    public sealed partial class MessageOperations
    {
        public const int DefaultPageSize = 20;
        public const int MaxPageSize = 100;

        private readonly Connection _connection;

        public MessageOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>GET /conversations/messages/email/{id}.</summary>
        public LcRequest<EmailMessage> GetEmail(string id)
        {
            var path = "conversations/messages/email/" + InputGuard.Id(id, "email message id");
            return new LcRequest<EmailMessage>(_connection, HttpMethod.Get, path, null, null,
                body => EmailMessage.Answer.Read(body, out _) ?? throw ConversationOperations.Unexpected("GET", path, "an email message object"));
        }

        /// <summary>Sends <see cref="GetEmail"/>.</summary>
        public async Task<EmailMessage> GetEmailAsync(string id, LcCall call) => await GetEmail(id).SendAsync(call).ConfigureAwait(false);

        /// <summary>GET /conversations/messages/{id}: the message itself, or wrapped in { message }.</summary>
        public LcRequest<Message> Get(string id)
        {
            var path = "conversations/messages/" + InputGuard.Id(id, "message id");
            return new LcRequest<Message>(_connection, HttpMethod.Get, path, null, null,
                body => Message.Answer.Read(body, out _) ?? throw ConversationOperations.Unexpected("GET", path, "a message object"));
        }

        /// <summary>Sends <see cref="Get"/>.</summary>
        public async Task<Message> GetAsync(string id, LcCall call) => await Get(id).SendAsync(call).ConfigureAwait(false);

        /// <summary>
        /// GET /conversations/{conversationId}/messages, checked once (the id, the type filter in the API's spelling). Reads
        /// the documented flat body { lastMessageId, nextPage, messages: [...] } and the double-nested one the live service
        /// sends { messages: { lastMessageId, nextPage, messages: [...] } }. A page's cursor is the last message id.
        /// </summary>
        public LcPagedRequest<Message> List(string conversationId, IReadOnlyList<string>? types)
        {
            var path = "conversations/" + InputGuard.Id(conversationId, "conversation id") + "/messages";
            var type = types != null && types.Count > 0 ? string.Join(",", types.Select(MessageTypeNames.NormalizeFilter).Distinct()) : null;
            return new LcPagedRequest<Message>(null, (limit, lastMessageId) =>
            {
                var query = new List<KeyValuePair<string, string>>();
                if (lastMessageId != null) query.Add(new KeyValuePair<string, string>("lastMessageId", InputGuard.Id(lastMessageId, "message id")));
                if (limit != null) query.Add(new KeyValuePair<string, string>("limit", limit.Value.ToString(CultureInfo.InvariantCulture)));
                if (type != null) query.Add(new KeyValuePair<string, string>("type", type));
                return new LcRequest<CursorPage<Message>>(_connection, HttpMethod.Get, path, query, null, body => ReadMessagePage(body, path));
            });
        }

        /// <summary>Sends one page of <see cref="List"/>.</summary>
        public async Task<CursorPage<Message>> ListAsync(string conversationId, IReadOnlyList<string>? types, int? limit, string? lastMessageId, LcCall call) =>
            await List(conversationId, types).Page(limit, lastMessageId).SendAsync(call).ConfigureAwait(false);

        /// <summary>One level of a message list: the flat body, or the object inside the double-nested one.</summary>
        private sealed class ListLevel
        {
            public List<Message>? Items;
            /// <summary>The object under 'messages' (double-nested); only at the top level.</summary>
            public ListLevel? Nested;
            public bool IsNested;
            public string? LastMessageId;
            public bool? NextPage;
        }

        private static readonly FieldMap<ListLevel> ListFields = new FieldMap<ListLevel>(() => new ListLevel())
            .Add("lastMessageId", (ref JsonSource s, ListLevel l) => l.LastMessageId = s.String())
            .Add("nextPage", (ref JsonSource s, ListLevel l) => l.NextPage = s.Bool())
            .Add("messages", (ref JsonSource s, ListLevel l) =>
            {
                l.Items = null;
                l.Nested = null;
                if (s.Token == JsonTokenType.StartArray) l.Items = s.Objects(Message.Fields);
                else if (s.Token == JsonTokenType.StartObject && !l.IsNested)
                {
                    l.Nested = new ListLevel { IsNested = true };
                    ListFields!.Read(ref s, l.Nested);
                }
                else s.Skip();
            });

        /// <summary>A message list read into a page: the flat or the double-nested body (cursor and nextPage from the level that holds the list).</summary>
        internal static CursorPage<Message> ReadMessagePage(byte[] body, string path)
        {
            if (!ListFields.TryReadBody(body, out var top)) throw ConversationOperations.Unexpected("GET", path, "an object with 'messages'");
            var level = top.Nested ?? top;
            var items = level.Items ?? throw ConversationOperations.Unexpected("GET", path, "a 'messages' array");
            var last = level.LastMessageId ?? (items.Count > 0 ? items[items.Count - 1].Id : null);
            return new CursorPage<Message>(items, last, level.NextPage, null);
        }

        /// <summary>
        /// Fills the body (and subject) of an email message from GET /conversations/messages/email/{id};
        /// the live list omits them. Other messages are returned unchanged, without a request.
        /// </summary>
        public async Task<Message> FillEmailBodyAsync(Message message, LcCall call)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            if (!message.IsEmail) return message;
            var emailId = message.EmailMessageIds.Count > 0 ? message.EmailMessageIds[0] : message.Id;
            if (emailId == null) return message;
            var email = await GetEmailAsync(emailId, call).ConfigureAwait(false);
            message.Body = email.Body;
            message.Subject ??= email.Subject;
            if (email.ContentType != null) message.ContentType = email.ContentType;
            return message;
        }

        /// <summary>
        /// POST /conversations/messages, checked once (<see cref="MessageSend.Validate"/>): nothing is sent for input the API
        /// would refuse. Afterwards <paramref name="send"/>'s Type is in the API's spelling.
        /// </summary>
        public LcRequest<SendResult> Send(MessageSend send)
        {
            if (send == null) throw new ArgumentNullException(nameof(send));
            send.Type = send.Validate(DateTimeOffset.UtcNow);
            const string path = "conversations/messages";
            return new LcRequest<SendResult>(_connection, HttpMethod.Post, path, null, send.ToJson(send.Type),
                body => SendResult.Fields.TryReadBody(body, out var result) ? result : throw ConversationOperations.Unexpected("POST", path, "a send result object"));
        }

        /// <summary>Sends <see cref="Send"/>.</summary>
        public async Task<SendResult> SendAsync(MessageSend send, LcCall call) => await Send(send).SendAsync(call).ConfigureAwait(false);
    }
}
