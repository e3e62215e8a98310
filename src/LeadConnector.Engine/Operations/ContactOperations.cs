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
            var body = await _connection.Client.SendAsync(HttpMethod.Get, path, null, null, call).ConfigureAwait(false);
            var inner = JsonRead.Unwrap(body, "contact");
            if (inner == null) throw ConversationOperations.Unexpected("GET", path, "a contact object");
            return Contact.Read(inner.Value);
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
            var body = await _connection.Client.SendAsync(HttpMethod.Post, path, null, json, call).ConfigureAwait(false);
            if (body.ValueKind != JsonValueKind.Object) throw ConversationOperations.Unexpected("POST", path, "an object with 'contacts'");
            var list = JsonRead.Prop(body, "contacts");
            if (list == null || list.Value.ValueKind != JsonValueKind.Array) throw ConversationOperations.Unexpected("POST", path, "a 'contacts' array");
            var items = new List<Contact>();
            foreach (var e in list.Value.EnumerateArray())
                if (e.ValueKind == JsonValueKind.Object) items.Add(Contact.Read(e));
            var total = JsonRead.Long(body, "total") ?? JsonRead.Long(body, "count");
            var cursor = items.Count > 0 ? items[items.Count - 1].SearchAfter : null;
            return new CursorPage<Contact>(items, cursor, null, total is long t && t >= 0 && t <= int.MaxValue ? (int)t : (int?)null);
        }
    }
}
