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
        public async Task<Contact> GetAsync(string id, LcCall call)
        {
            InputGuard.Id(id, "contact id");
            var path = "contacts/" + id;
            return await _connection.Client.SendAsync(HttpMethod.Get, path, null, null, call,
                body => Contact.Answer.Read(body, out _) ?? throw ConversationOperations.Unexpected("GET", path, "a contact object")).ConfigureAwait(false);
        }

        /// <summary>POST /contacts/search: one page. <paramref name="searchAfter"/> is the previous page's cursor (JSON text).</summary>
        public async Task<CursorPage<Contact>> SearchAsync(string? locationId, string? query, int? pageLimit, string? searchAfter, LcCall call)
        {
            var location = ResolveLocation(locationId);
            JsonElement? after = null;
            if (searchAfter != null)
            {
                try
                {
                    using var doc = JsonDocument.Parse(searchAfter);
                    if (doc.RootElement.ValueKind != JsonValueKind.Array) throw LcException.InvalidInput("The search cursor is not a JSON array.");
                    after = doc.RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw LcException.InvalidInput("The search cursor is not JSON.", ex);
                }
            }
            var json = JsonBody.Write(w =>
            {
                w.WriteString("locationId", location);
                if (pageLimit != null) w.WriteNumber("pageLimit", pageLimit.Value);
                if (!string.IsNullOrEmpty(query)) w.WriteString("query", query);
                if (after != null) { w.WritePropertyName("searchAfter"); after.Value.WriteTo(w); }
            });
            const string path = "contacts/search";
            // A search changes nothing, but it is a POST: the client retries it only when it provably did not arrive.
            return await _connection.Client.SendAsync(HttpMethod.Post, path, null, json, call, ReadSearchPage).ConfigureAwait(false);
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
