using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// Message endpoints beyond reading and sending: cancel what was scheduled, add history, report a custom provider's
    /// status and attachments, export a location's messages, and a call's recording and transcription.
    /// </summary>
    public sealed partial class MessageOperations
    {
        /// <summary>GET /conversations/messages/export: limit 10..500, default 100.</summary>
        public const int ExportMinPageSize = 10;
        public const int ExportDefaultPageSize = 100;
        public const int ExportMaxPageSize = 500;
        /// <summary>PUT .../attachments takes at most this many URLs.</summary>
        public const int MaxAttachmentUrls = 5;

        private string Location(string? locationId) => new ConversationOperations(_connection).ResolveLocation(locationId);

        /// <summary>DELETE /conversations/messages/{id}/schedule: cancels a scheduled message.</summary>
        public LcRequest<bool> CancelScheduled(string messageId)
        {
            var path = "conversations/messages/" + InputGuard.Id(messageId, "message id") + "/schedule";
            return new LcRequest<bool>(_connection, HttpMethod.Delete, path, null, null, body => ReadCancel(body, "DELETE", path));
        }

        /// <summary>DELETE /conversations/messages/email/{id}/schedule: cancels a scheduled email.</summary>
        public LcRequest<bool> CancelScheduledEmail(string emailMessageId)
        {
            var path = "conversations/messages/email/" + InputGuard.Id(emailMessageId, "email message id") + "/schedule";
            return new LcRequest<bool>(_connection, HttpMethod.Delete, path, null, null, body => ReadCancel(body, "DELETE", path));
        }

        private sealed class CancelAnswer
        {
            public int? Status;
            public string? Message;
        }

        private static readonly FieldMap<CancelAnswer> CancelFields = new FieldMap<CancelAnswer>(() => new CancelAnswer())
            .Add("status", (ref JsonSource s, CancelAnswer a) => a.Status = s.Int())
            .Add("message", (ref JsonSource s, CancelAnswer a) => a.Message = s.String());

        /// <summary>
        /// CancelScheduledResponseDto { status, message }: a 2xx answer whose status field says it failed (the
        /// documented example is 404 "Failed cancel the scheduled message") is that failure, not a success.
        /// </summary>
        private static bool ReadCancel(byte[] body, string method, string path)
        {
            if (!CancelFields.TryReadBody(body, out var answer) || answer.Status is not int status || status < 400) return true;
            var text = answer.Message ?? "The API did not cancel the scheduled message.";
            var kind = status == 404 ? LcErrorKind.NotFound : status == 403 ? LcErrorKind.Forbidden : status >= 500 ? LcErrorKind.ServerError : LcErrorKind.InvalidRequest;
            throw new LcException(kind, $"{text} (HTTP {status} in the answer's body; {method} /{path}).", statusCode: status,
                    messages: new[] { text }, method: method, path: "/" + path);
        }

        /// <summary>PUT /conversations/messages/{id}/status (UpdateMessageStatusDto), checked once.</summary>
        public LcRequest<SendResult> UpdateStatus(string messageId, MessageStatusUpdate update)
        {
            if (update == null) throw new ArgumentNullException(nameof(update));
            var path = "conversations/messages/" + InputGuard.Id(messageId, "message id") + "/status";
            var status = update.Validate();
            return new LcRequest<SendResult>(_connection, HttpMethod.Put, path, null, update.ToJson(status),
                body => SendResult.Fields.TryReadBody(body, out var result) ? result : new SendResult { MessageId = messageId, Status = status });
        }

        /// <summary>PUT /conversations/messages/{id}/attachments: replaces the attachments (1 to 5 URLs).</summary>
        public LcRequest<bool> SetAttachments(string messageId, IReadOnlyList<string> urls)
        {
            var path = "conversations/messages/" + InputGuard.Id(messageId, "message id") + "/attachments";
            if (urls == null || urls.Count == 0) throw LcException.InvalidInput("Give at least one attachment URL.");
            if (urls.Count > MaxAttachmentUrls)
                throw LcException.InvalidInput($"A message takes at most {MaxAttachmentUrls} attachment URLs; {urls.Count} were given.");
            foreach (var url in urls)
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                    throw LcException.InvalidInput($"'{InputGuard.Printable(url ?? "")}' is not an http(s) URL; attachments are URLs of files already online.");
            var json = JsonBody.Write(w => MessageImport.Strings(w, "attachments", urls));
            return new LcRequest<bool>(_connection, HttpMethod.Put, path, null, json, _ => true);
        }

        /// <summary>POST /conversations/messages/inbound or /outbound, checked once (<see cref="MessageImport.Validate"/>).</summary>
        public LcRequest<AddMessageResult> Add(MessageImport message)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            var type = message.Validate();
            var path = message.Path;
            return new LcRequest<AddMessageResult>(_connection, HttpMethod.Post, path, null, message.ToJson(type),
                body => AddMessageResult.Fields.TryReadBody(body, out var result) ? result : throw ConversationOperations.Unexpected("POST", path, "an added message object"));
        }

        /// <summary>
        /// GET /conversations/messages/export: the location's messages, cursor-paged (nextCursor; total). A page's limit is
        /// at least <see cref="ExportMinPageSize"/> (the API's minimum); the pager trims what -First does not want.
        /// </summary>
        public LcPagedRequest<Message> Export(MessageExportQuery query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            var location = Location(query.LocationId);
            var channel = MessageExportQuery.Pick(query.Channel, MessageExportQuery.Channels, "channel");
            var sortBy = MessageExportQuery.Pick(query.SortBy, MessageExportQuery.SortFields, "sort field");
            var sortOrder = MessageExportQuery.Pick(query.SortOrder, new[] { "asc", "desc" }, "sort order");
            var contact = string.IsNullOrEmpty(query.ContactId) ? null : InputGuard.Id(query.ContactId, "contact id");
            var conversation = string.IsNullOrEmpty(query.ConversationId) ? null : InputGuard.Id(query.ConversationId, "conversation id");
            if (query.Since is DateTimeOffset s && query.Until is DateTimeOffset u && s > u)
                throw LcException.InvalidInput($"-Since ({IsoDate.Wire(s.UtcDateTime)}) is after -Until ({IsoDate.Wire(u.UtcDateTime)}): nothing can match.");
            const string path = "conversations/messages/export";
            return new LcPagedRequest<Message>(location, (limit, cursor) =>
            {
                var q = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("locationId", location) };
                if (limit != null) q.Add(Pair("limit", Math.Max(limit.Value, ExportMinPageSize).ToString(CultureInfo.InvariantCulture)));
                if (cursor != null) q.Add(Pair("cursor", cursor));
                if (sortBy != null) q.Add(Pair("sortBy", sortBy));
                if (sortOrder != null) q.Add(Pair("sortOrder", sortOrder));
                if (conversation != null) q.Add(Pair("conversationId", conversation));
                if (contact != null) q.Add(Pair("contactId", contact));
                if (channel != null) q.Add(Pair("channel", channel));
                if (query.Since is DateTimeOffset since) q.Add(Pair("startDate", IsoDate.Wire(since.UtcDateTime)));
                if (query.Until is DateTimeOffset until) q.Add(Pair("endDate", IsoDate.Wire(until.UtcDateTime)));
                return new LcRequest<CursorPage<Message>>(_connection, HttpMethod.Get, path, q, null, body => ReadExportPage(body, path), location);
            });
        }

        private static KeyValuePair<string, string> Pair(string name, string value) => new KeyValuePair<string, string>(name, InputGuard.QueryValue(value, name));

        private sealed class ExportLevel
        {
            public List<Message>? Items;
            public string? NextCursor;
            public int? Total;
        }

        private static readonly FieldMap<ExportLevel> ExportFields = new FieldMap<ExportLevel>(() => new ExportLevel())
            .Add("messages", (ref JsonSource s, ExportLevel l) => l.Items = s.Objects(Message.Fields))
            .Add("nextCursor", (ref JsonSource s, ExportLevel l) => l.NextCursor = s.String())
            .Add("total", (ref JsonSource s, ExportLevel l) => l.Total = s.Int());

        /// <summary>ExportMessagesResponseDto { messages, nextCursor, total }: no cursor means the last page.</summary>
        internal static CursorPage<Message> ReadExportPage(byte[] body, string path)
        {
            if (!ExportFields.TryReadBody(body, out var page)) throw ConversationOperations.Unexpected("GET", path, "an object with 'messages'");
            var items = page.Items ?? throw ConversationOperations.Unexpected("GET", path, "a 'messages' array");
            var next = string.IsNullOrEmpty(page.NextCursor) ? null : page.NextCursor;
            return new CursorPage<Message>(items, next, next != null, page.Total);
        }

        /// <summary>GET /conversations/messages/{id}/locations/{locationId}/recording, streamed to a file.</summary>
        public LcDownload Recording(string messageId, string? locationId)
        {
            var id = InputGuard.Id(messageId, "message id");
            var location = Location(locationId);
            return new LcDownload(_connection, "conversations/messages/" + id + "/locations/" + location + "/recording", id, location, id + ".wav");
        }

        /// <summary>GET /conversations/locations/{locationId}/messages/{id}/transcription: the sentences, in order.</summary>
        public LcRequest<IReadOnlyList<TranscriptionSentence>> Transcription(string messageId, string? locationId)
        {
            var id = InputGuard.Id(messageId, "message id");
            var path = "conversations/locations/" + Location(locationId) + "/messages/" + id + "/transcription";
            return new LcRequest<IReadOnlyList<TranscriptionSentence>>(_connection, HttpMethod.Get, path, null, null, body =>
            {
                var sentences = TranscriptionSentence.ReadAll(body) ?? throw ConversationOperations.Unexpected("GET", path, "a list of transcription sentences");
                foreach (var s in sentences) s.MessageId = id;
                return sentences;
            });
        }

        /// <summary>GET .../transcription/download: the transcription as plain text.</summary>
        public LcRequest<string> TranscriptionText(string messageId, string? locationId)
        {
            var id = InputGuard.Id(messageId, "message id");
            var path = "conversations/locations/" + Location(locationId) + "/messages/" + id + "/transcription/download";
            return new LcRequest<string>(_connection, HttpMethod.Get, path, null, null, body => Encoding.UTF8.GetString(body).TrimStart('\uFEFF'));
        }
    }
}
