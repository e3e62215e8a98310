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
    /// <summary>The message type names of the API: the list filter (GET .../messages?type=) and the send types.</summary>
    public static class MessageTypeNames
    {
        /// <summary>The values the OpenAPI lists for the 'type' filter of GET /conversations/{id}/messages.</summary>
        public static readonly IReadOnlyList<string> Filter = new[]
        {
            "TYPE_CALL", "TYPE_SMS", "TYPE_RCS", "TYPE_EMAIL", "TYPE_FACEBOOK", "TYPE_GMB", "TYPE_INSTAGRAM", "TYPE_WHATSAPP",
            "TYPE_ACTIVITY_APPOINTMENT", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
            "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_INTERNAL_COMMENTS", "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG",
            "TYPE_TIKTOK", "TYPE_ACTIVITY_WHATSAPP", "TYPE_FORM_SUBMISSION",
        };

        /// <summary>The values the OpenAPI lists for SendMessageBodyDto.type, in the API's spelling.</summary>
        public static readonly IReadOnlyList<string> Send = new[] { "SMS", "RCS", "Email", "WhatsApp", "IG", "FB", "Custom", "Live_Chat", "TIKTOK" };

        /// <summary>A filter value in the API's spelling: any case, with or without the TYPE_ prefix. Throws InvalidInput otherwise.</summary>
        public static string NormalizeFilter(string value)
        {
            var v = (value ?? "").Trim().ToUpperInvariant();
            if (!v.StartsWith("TYPE_", StringComparison.Ordinal)) v = "TYPE_" + v;
            if (v == "TYPE_INTERNAL_COMMENT") v = "TYPE_INTERNAL_COMMENTS";
            if (Filter.Contains(v)) return v;
            throw LcException.InvalidInput($"'{InputGuard.Printable(value ?? "")}' is not a message type the API filters by. Use one of: {string.Join(", ", Filter)}.");
        }

        /// <summary>A send type in the API's spelling (any case in). Throws InvalidInput otherwise.</summary>
        public static string NormalizeSend(string value)
        {
            foreach (var t in Send)
                if (string.Equals(t, value?.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
            throw LcException.InvalidInput($"'{InputGuard.Printable(value ?? "")}' is not a message type the API sends. Use one of: {string.Join(", ", Send)}.");
        }
    }

    /// <summary>A message to send (POST /conversations/messages). Null fields are not sent.</summary>
    public sealed class MessageSend
    {
        public string Type { get; set; } = "";
        public string ContactId { get; set; } = "";
        public string? Message { get; set; }
        public string? Html { get; set; }
        public string? Subject { get; set; }
        public IReadOnlyList<string>? EmailTo { get; set; }
        public IReadOnlyList<string>? EmailCc { get; set; }
        public IReadOnlyList<string>? EmailBcc { get; set; }
        public string? EmailFrom { get; set; }
        public IReadOnlyList<string>? Attachments { get; set; }
        public string? ReplyMessageId { get; set; }
        public DateTimeOffset? ScheduledAt { get; set; }

        /// <summary>Refuses what the API would refuse, before anything is sent. Returns the type in the API's spelling.</summary>
        public string Validate(DateTimeOffset now)
        {
            var type = MessageTypeNames.NormalizeSend(Type);
            InputGuard.Id(ContactId, "contact id");
            if (ReplyMessageId != null) InputGuard.Id(ReplyMessageId, "reply message id");
            bool hasText = !string.IsNullOrEmpty(Message);
            if (type == "Email")
            {
                if (string.IsNullOrWhiteSpace(Subject)) throw LcException.InvalidInput("An Email needs a subject: pass -Subject. Nothing was sent.");
                if (!hasText && string.IsNullOrEmpty(Html)) throw LcException.InvalidInput("An Email needs a body: pass -Html or -Message. Nothing was sent.");
            }
            else
            {
                if (!hasText && (Attachments == null || Attachments.Count == 0))
                    throw LcException.InvalidInput($"A {type} message needs text: pass -Message (or -Attachments). Nothing was sent.");
                if (Html != null || Subject != null || EmailTo != null || EmailCc != null || EmailBcc != null || EmailFrom != null)
                    throw LcException.InvalidInput($"-Html, -Subject and the -Email* parameters are for -Type Email, not {type}. Nothing was sent.");
            }
            if (Attachments != null)
                foreach (var a in Attachments)
                    if (!Uri.TryCreate(a, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                        throw LcException.InvalidInput($"The attachment '{InputGuard.Printable(a ?? "")}' is not an http(s) URL. Nothing was sent.");
            foreach (var list in new[] { EmailTo, EmailCc, EmailBcc })
                if (list != null)
                    foreach (var address in list)
                        if (string.IsNullOrWhiteSpace(address) || address.Any(char.IsControl))
                            throw LcException.InvalidInput("An email address is empty or holds a control character. Nothing was sent.");
            if (ScheduledAt is DateTimeOffset at && at <= now)
                throw LcException.InvalidInput($"-ScheduledAt {at.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z is in the past. Nothing was sent.");
            return type;
        }

        internal string ToJson(string type) => JsonBody.Write(w =>
        {
            w.WriteString("type", type);
            w.WriteString("contactId", ContactId);
            if (Message != null) w.WriteString("message", Message);
            if (Html != null) w.WriteString("html", Html);
            if (Subject != null) w.WriteString("subject", Subject);
            if (EmailFrom != null) w.WriteString("emailFrom", EmailFrom);
            // emailTo is a single string in the OpenAPI; several recipients go as an array.
            if (EmailTo != null)
            {
                if (EmailTo.Count == 1) w.WriteString("emailTo", EmailTo[0]);
                else { w.WritePropertyName("emailTo"); Strings(w, EmailTo); }
            }
            if (EmailCc != null) { w.WritePropertyName("emailCc"); Strings(w, EmailCc); }
            if (EmailBcc != null) { w.WritePropertyName("emailBcc"); Strings(w, EmailBcc); }
            if (Attachments != null) { w.WritePropertyName("attachments"); Strings(w, Attachments); }
            if (ReplyMessageId != null) w.WriteString("replyMessageId", ReplyMessageId);
            if (ScheduledAt is DateTimeOffset at) w.WriteNumber("scheduledTimestamp", at.ToUnixTimeSeconds());
        });

        private static void Strings(Utf8JsonWriter w, IEnumerable<string> values)
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
    }

    /// <summary>Message endpoints.</summary>
    public sealed class MessageOperations
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
