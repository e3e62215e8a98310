using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>Contact endpoints: get by id and POST /contacts/search (not the deprecated GET /contacts/).</summary>
    public sealed class ContactOperations
    {
        public const int DefaultPageSize = 20;
        public const int MaxPageSize = 500;

        private readonly Connection _connection;

        public ContactOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>The location to use: the one given, else the connection's; refused when neither exists.</summary>
        public string ResolveLocation(string? locationId) => new ConversationOperations(_connection).ResolveLocation(locationId);

        /// <summary>GET /contacts/{id}: { contact: {...} } (the unwrapped object is accepted too).</summary>
        public LcRequest<Contact> Get(string id)
        {
            var path = "contacts/" + InputGuard.Id(id, "contact id");
            return new LcRequest<Contact>(_connection, HttpMethod.Get, path, null, null,
                body => Contact.Answer.Read(body, out _) ?? throw ConversationOperations.Unexpected("GET", path, "a contact object"));
        }

        /// <summary>Sends <see cref="Get"/>.</summary>
        public async Task<Contact> GetAsync(string id, LcCall call) => await Get(id).SendAsync(call).ConfigureAwait(false);

        /// <summary>
        /// POST /contacts/search in a location (the given one, else the connection's), checked once. A page's cursor is the
        /// previous page's searchAfter (JSON text).
        /// </summary>
        public LcPagedRequest<Contact> Search(string? locationId, string? query)
        {
            var location = ResolveLocation(locationId);
            return new LcPagedRequest<Contact>(location, (pageLimit, searchAfter) =>
            {
                var after = SearchAfter(searchAfter);
                var json = JsonBody.Write(w =>
                {
                    w.WriteString("locationId", location);
                    if (pageLimit != null) w.WriteNumber("pageLimit", pageLimit.Value);
                    if (!string.IsNullOrEmpty(query)) w.WriteString("query", query);
                    if (after != null) { w.WritePropertyName("searchAfter"); after.Value.WriteTo(w); }
                });
                // A search changes nothing, but it is a POST: the client retries it only when it provably did not arrive.
                return new LcRequest<CursorPage<Contact>>(_connection, HttpMethod.Post, "contacts/search", null, json, ReadSearchPage, location);
            });
        }

        /// <summary>Sends one page of <see cref="Search"/>.</summary>
        public async Task<CursorPage<Contact>> SearchAsync(string? locationId, string? query, int? pageLimit, string? searchAfter, LcCall call) =>
            await Search(locationId, query).Page(pageLimit, searchAfter).SendAsync(call).ConfigureAwait(false);

        /// <summary>The searchAfter cursor (a JSON array) as JSON; null when there is none.</summary>
        private static JsonElement? SearchAfter(string? searchAfter)
        {
            if (searchAfter == null) return null;
            try
            {
                using var doc = JsonDocument.Parse(searchAfter);
                if (doc.RootElement.ValueKind != JsonValueKind.Array) throw LcException.InvalidInput("The search cursor is not a JSON array.");
                return doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw LcException.InvalidInput("The search cursor is not JSON.", ex);
            }
        }

        private sealed class SearchAnswer
        {
            public List<Contact>? Items;
            public long? Total;
            public long? Count;
        }

        private static readonly FieldMap<SearchAnswer> SearchFields = new FieldMap<SearchAnswer>(() => new SearchAnswer())
            .Add("contacts", (ref JsonSource s, SearchAnswer a) => a.Items = s.Objects(Contact.Fields))
            .Add("total", (ref JsonSource s, SearchAnswer a) => a.Total = s.Long())
            .Add("count", (ref JsonSource s, SearchAnswer a) => a.Count = s.Long());

        /// <summary>A POST /contacts/search answer read into a page; the cursor is the last contact's searchAfter.</summary>
        internal static CursorPage<Contact> ReadSearchPage(byte[] body)
        {
            const string path = "contacts/search";
            if (!SearchFields.TryReadBody(body, out var answer)) throw ConversationOperations.Unexpected("POST", path, "an object with 'contacts'");
            var items = answer.Items ?? throw ConversationOperations.Unexpected("POST", path, "a 'contacts' array");
            var cursor = items.Count > 0 ? items[items.Count - 1].SearchAfter : null;
            return new CursorPage<Contact>(items, cursor, null, ConversationOperations.Count(answer.Total ?? answer.Count));
        }
    }
}
