using System;
using System.Collections;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The changes Set-LcConversation sends (PUT /conversations/{id}). Null fields are not sent.</summary>
    public sealed class ConversationUpdate
    {
        public string? LocationId { get; set; }
        public int? UnreadCount { get; set; }
        public bool? Starred { get; set; }
        public IDictionary? Feedback { get; set; }

        public bool HasChanges => UnreadCount != null || Starred != null || Feedback != null;
    }

    /// <summary>Conversation endpoints: request shapes, response shapes and paging.</summary>
    public sealed class ConversationOperations
    {
        private readonly Connection _connection;

        public ConversationOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>The location to use: the one given, else the connection's; refused when neither exists.</summary>
        public string ResolveLocation(string? locationId)
        {
            var loc = string.IsNullOrEmpty(locationId) ? _connection.LocationId : locationId;
            if (string.IsNullOrEmpty(loc))
                throw LcException.NoLocation("No location id: pass -LocationId, or connect with Connect-Lc -LocationId (or LC_LOCATION_ID).");
            return InputGuard.Id(loc, "location id");
        }

        /// <summary>GET /conversations/{id}: the unwrapped object (the wrapped form is accepted too).</summary>
        public LcRequest<Conversation> Get(string id)
        {
            var path = "conversations/" + InputGuard.Id(id, "conversation id");
            return new LcRequest<Conversation>(_connection, HttpMethod.Get, path, null, null, body => ReadConversation(body, "GET", path));
        }

        /// <summary>Sends <see cref="Get"/>.</summary>
        public async Task<Conversation> GetAsync(string id, LcCall call) => await Get(id).SendAsync(call).ConfigureAwait(false);

        /// <summary>The API's page size when no limit is sent, and the largest it takes.</summary>
        public const int DefaultPageSize = 20;
        public const int MaxPageSize = 100;

        /// <summary>
        /// GET /conversations/search, its filters checked once. The next page's cursor is the last document's sort value
        /// (the startAfterDate of the next request); the API says nothing of more pages beyond the total.
        /// </summary>
        public LcPagedRequest<Conversation> Search(ConversationQuery query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            var location = ResolveLocation(query.LocationId);
            if (query.ContactId != null) InputGuard.Id(query.ContactId, "contact id");
            if (query.AssignedTo != null)
                foreach (var a in query.AssignedTo) InputGuard.Id(a, "assigned user id");
            query.Validate();
            return new LcPagedRequest<Conversation>(location, (limit, startAfter) => new LcRequest<CursorPage<Conversation>>(_connection,
                HttpMethod.Get, "conversations/search", query.ToQuery(location, limit, startAfter), null, ReadSearchPage, location));
        }

        /// <summary>Sends one page of <see cref="Search"/>.</summary>
        public async Task<CursorPage<Conversation>> SearchAsync(ConversationQuery query, int? limit, string? startAfter, LcCall call) =>
            await Search(query).Page(limit, startAfter).SendAsync(call).ConfigureAwait(false);

        private sealed class SearchAnswer
        {
            public List<Conversation>? Items;
            public long? Total;
        }

        private static readonly FieldMap<SearchAnswer> SearchFields = new FieldMap<SearchAnswer>(() => new SearchAnswer())
            .Add("conversations", (ref JsonSource s, SearchAnswer a) => a.Items = s.Objects(Conversation.Fields))
            .Add("total", (ref JsonSource s, SearchAnswer a) => a.Total = s.Long());

        /// <summary>A search answer read into a page, straight from the body's bytes (the benchmark measures this against plain deserialization).</summary>
        internal static CursorPage<Conversation> ReadSearchPage(byte[] body)
        {
            if (!SearchFields.TryReadBody(body, out var answer))
                throw Unexpected("GET", "conversations/search", "an object with 'conversations'");
            var items = answer.Items ?? throw Unexpected("GET", "conversations/search", "a 'conversations' array");
            var next = items.Count > 0 ? items[items.Count - 1].SortValue : null;
            return new CursorPage<Conversation>(items, next, null, Count(answer.Total));
        }

        /// <summary>A total the API sent, when it is one a page can hold.</summary>
        internal static int? Count(long? total) => total is long t && t >= 0 && t <= int.MaxValue ? (int)t : (int?)null;

        /// <summary>POST /conversations/: the wrapped answer (the unwrapped form is accepted too).</summary>
        public LcRequest<Conversation> Create(string? locationId, string contactId)
        {
            var location = ResolveLocation(locationId);
            InputGuard.Id(contactId, "contact id");
            var json = JsonBody.Write(w =>
            {
                w.WriteString("locationId", location);
                w.WriteString("contactId", contactId);
            });
            return new LcRequest<Conversation>(_connection, HttpMethod.Post, "conversations/", null, json,
                body => ReadConversation(body, "POST", "conversations/"), location);
        }

        /// <summary>Sends <see cref="Create"/>.</summary>
        public async Task<Conversation> CreateAsync(string? locationId, string contactId, LcCall call) =>
            await Create(locationId, contactId).SendAsync(call).ConfigureAwait(false);

        /// <summary>
        /// A contact's conversation, made once: one search by contact first (an existing conversation is returned, not
        /// a second one made, unless <paramref name="force"/>), then POST /conversations/. When the POST's answer is lost
        /// (the connection dropped, a timeout, a 5xx: the conversation may have been made), one more search by contact
        /// tells: the conversation found is returned as made; none found, the failure is thrown. Checked before anything
        /// is sent, as <see cref="Create"/> checks.
        /// </summary>
        /// <param name="create">The checked create, from <see cref="Create"/> (built once, shown in ShouldProcess).</param>
        /// <param name="contactId">Its contact.</param>
        /// <param name="force">Create without looking first.</param>
        public Func<LcCall, Task<ConversationMade>> CreateOnce(LcRequest<Conversation> create, string contactId, bool force)
        {
            if (create == null) throw new ArgumentNullException(nameof(create));
            var location = create.LocationId!;
            var find = Search(new ConversationQuery { LocationId = location, ContactId = contactId }).Page(1, null);
            return async call =>
            {
                if (!force)
                {
                    var found = await find.SendAsync(call).ConfigureAwait(false);
                    if (found.Items.Count > 0) return new ConversationMade(found.Items[0], existed: true);
                }
                try
                {
                    return new ConversationMade(await create.SendAsync(call).ConfigureAwait(false), existed: false);
                }
                catch (LcException ex) when (ex.MayHaveArrived && !force && !call.CancellationToken.IsCancellationRequested)
                {
                    var found = await find.SendAsync(call).ConfigureAwait(false);
                    if (found.Items.Count > 0) return new ConversationMade(found.Items[0], existed: false);
                    throw;
                }
            };
        }

        /// <summary>PUT /conversations/{id}.</summary>
        public LcRequest<Conversation> Update(string id, ConversationUpdate update)
        {
            if (update == null) throw new ArgumentNullException(nameof(update));
            var path = "conversations/" + InputGuard.Id(id, "conversation id");
            var location = ResolveLocation(update.LocationId);
            if (update.UnreadCount is int u && u < 0) throw LcException.InvalidInput($"UnreadCount must be 0 or more; it was {u}.");
            var json = JsonBody.Write(w =>
            {
                w.WriteString("locationId", location);
                if (update.UnreadCount is int n) w.WriteNumber("unreadCount", n);
                if (update.Starred is bool s) w.WriteBoolean("starred", s);
                if (update.Feedback != null)
                {
                    w.WritePropertyName("feedback");
                    JsonBody.Value(w, update.Feedback, "feedback");
                }
            });
            return new LcRequest<Conversation>(_connection, HttpMethod.Put, path, null, json, body => ReadConversation(body, "PUT", path), location);
        }

        /// <summary>
        /// Sends a checked update and returns the whole conversation: the API answers an update with part of it (no type,
        /// no contact name). What the answer lacks is filled from <paramref name="known"/>, the conversation the caller
        /// already had; without one, the conversation is read back with one GET (when that read fails, the answer is
        /// returned as it came: the update itself succeeded).
        /// </summary>
        public Func<LcCall, Task<Conversation>> UpdateAndFill(LcRequest<Conversation> update, Conversation? known)
        {
            if (update == null) throw new ArgumentNullException(nameof(update));
            return async call =>
            {
                var answer = await update.SendAsync(call).ConfigureAwait(false);
                if (known != null) return answer.FillFrom(known);
                if (string.IsNullOrEmpty(answer.Id)) return answer;
                try
                {
                    return (await Get(answer.Id!).SendAsync(call).ConfigureAwait(false)).FillFrom(answer);
                }
                catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !call.CancellationToken.IsCancellationRequested)
                {
                    call.Verbose($"Conversation {answer.Id} was updated, but reading it back failed ({ex.Message}); the update's answer is written as it came.");
                    return answer;
                }
            };
        }

        /// <summary>Sends <see cref="Update"/>.</summary>
        public async Task<Conversation> UpdateAsync(string id, ConversationUpdate update, LcCall call) =>
            await Update(id, update).SendAsync(call).ConfigureAwait(false);

        /// <summary>DELETE /conversations/{id}. Any answer but an object saying success=false (an empty body too) is a deletion.</summary>
        public LcRequest<bool> Delete(string id)
        {
            var path = "conversations/" + InputGuard.Id(id, "conversation id");
            return new LcRequest<bool>(_connection, HttpMethod.Delete, path, null, null, body => DeleteSucceeded(body) ? true
                : throw new LcException(LcErrorKind.InvalidResponse, $"The API answered success=false to DELETE /{path}.", method: "DELETE", path: "/" + path));
        }

        /// <summary>Sends <see cref="Delete"/>.</summary>
        public async Task DeleteAsync(string id, LcCall call) => await Delete(id).SendAsync(call).ConfigureAwait(false);

        private sealed class SuccessAnswer
        {
            public bool? Success;
        }

        private static readonly FieldMap<SuccessAnswer> SuccessFields = new FieldMap<SuccessAnswer>(() => new SuccessAnswer())
            .Add("success", (ref JsonSource s, SuccessAnswer a) => a.Success = s.Bool());

        /// <summary>False only for an object that says success=false; any other answer, an empty body too, is a deletion.</summary>
        internal static bool DeleteSucceeded(byte[] body) => !SuccessFields.TryReadBody(body, out var answer) || answer.Success != false;

        internal static Conversation ReadConversation(byte[] body, string method, string path)
        {
            var conversation = Conversation.Answer.Read(body, out var success) ?? throw Unexpected(method, path, "a conversation object");
            if (success == false)
                throw new LcException(LcErrorKind.InvalidResponse, $"The API answered success=false to {method} /{path}.", method: method, path: "/" + path);
            return conversation;
        }

        internal static LcException Unexpected(string method, string path, string expected) =>
            new LcException(LcErrorKind.InvalidResponse, $"The API's answer to {method} /{path} is not {expected}.", method: method, path: "/" + path);
    }

    /// <summary>What <see cref="ConversationOperations.CreateOnce"/> gives: the conversation, and whether it was there before.</summary>
    public sealed class ConversationMade
    {
        public ConversationMade(Conversation conversation, bool existed)
        {
            Conversation = conversation;
            Existed = existed;
        }

        public Conversation Conversation { get; }

        /// <summary>True when the contact had the conversation before this call (nothing was created).</summary>
        public bool Existed { get; }
    }
}
