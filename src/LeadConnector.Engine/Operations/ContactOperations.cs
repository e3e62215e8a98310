using System;
using System.Collections;
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
        public LcPagedRequest<Contact> Search(string? locationId, string? query) => Search(locationId, query, null, null);

        /// <summary>
        /// <see cref="Search(string?, string?)"/> with the body's filters (each { field, operator, value } or a nested
        /// { group, filters }) and sort (each { field, direction }), as plain values, checked once (<see cref="ContactSearch"/>).
        /// </summary>
        public LcPagedRequest<Contact> Search(string? locationId, string? query, IList? filters, IList? sort)
        {
            var location = ResolveLocation(locationId);
            if (filters != null) ContactSearch.CheckFilters(filters, "-Filter", 0);
            if (sort != null) ContactSearch.CheckSort(sort);
            return new LcPagedRequest<Contact>(location, (pageLimit, searchAfter) =>
            {
                var after = SearchAfter(searchAfter);
                var json = JsonBody.Write(w =>
                {
                    w.WriteString("locationId", location);
                    if (pageLimit != null) w.WriteNumber("pageLimit", pageLimit.Value);
                    if (!string.IsNullOrEmpty(query)) w.WriteString("query", query);
                    if (filters != null) { w.WritePropertyName("filters"); ContactSearch.Write(w, filters, "filters"); }
                    if (sort != null) { w.WritePropertyName("sort"); ContactSearch.Write(w, sort, "sort"); }
                    if (after != null) { w.WritePropertyName("searchAfter"); after.Value.WriteTo(w); }
                });
                // A search changes nothing, but it is a POST: the client retries it only when it provably did not arrive.
                return new LcRequest<CursorPage<Contact>>(_connection, HttpMethod.Post, "contacts/search", null, json, ReadSearchPage, location);
            });
        }

        /// <summary>Sends one page of <see cref="Search"/>.</summary>
        public async Task<CursorPage<Contact>> SearchAsync(string? locationId, string? query, int? pageLimit, string? searchAfter, LcCall call) =>
            await Search(locationId, query).Page(pageLimit, searchAfter).SendAsync(call).ConfigureAwait(false);

        private static readonly string[] CreateMembers =
        {
            "firstName", "lastName", "name", "email", "gender", "phone", "address1", "city", "state", "postalCode", "website", "timezone",
            "dnd", "dndSettings", "inboundDndSettings", "tags", "customFields", "source", "dateOfBirth", "country", "companyName", "assignedTo",
        };
        private static readonly HashSet<string> CreateFields = new HashSet<string>(CreateMembers, StringComparer.Ordinal);
        private static readonly HashSet<string> UpsertFields = new HashSet<string>(CreateMembers, StringComparer.Ordinal) { "createNewIfDuplicateAllowed" };
        private static readonly HashSet<string> UpdateFields = new HashSet<string>(CreateMembers, StringComparer.Ordinal);

        static ContactOperations()
        {
            // UpdateContactDto has neither gender nor companyName (nor locationId).
            UpdateFields.Remove("gender");
            UpdateFields.Remove("companyName");
        }

        /// <summary>POST /contacts/ (CreateContactDto): { contact }. Refuses a contact with nothing but a location.</summary>
        public LcRequest<Contact> Create(ContactInput input)
        {
            var location = CheckNew(input, "contact");
            var json = JsonBody.Write(w => input.Write(w, CreateFields, location));
            return new LcRequest<Contact>(_connection, HttpMethod.Post, "contacts/", null, json,
                body => ReadContact(body, "POST", "contacts/"), location);
        }

        /// <summary>
        /// Sends a <see cref="Create"/>. A 400 saying the location does not allow duplicated contacts becomes an error that
        /// names the existing contact: its id is looked up (GET /contacts/search/duplicate) by the email, else the phone.
        /// Never resent: a create that may have reached the API (a dropped connection, a 5xx) is an error, not a second contact.
        /// </summary>
        public async Task<Contact> SendCreateAsync(LcRequest<Contact> create, ContactInput input, LcCall call)
        {
            try
            {
                return await create.SendAsync(call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 && IsDuplicate(ex))
            {
                Contact? existing = null;
                try
                {
                    existing = await FindDuplicate(create.LocationId, input.Email, ContactInput.Given(input.Email) ? null : input.Phone).SendAsync(call).ConfigureAwait(false);
                    if (existing == null && ContactInput.Given(input.Email) && ContactInput.Given(input.Phone))
                        existing = await FindDuplicate(create.LocationId, null, input.Phone).SendAsync(call).ConfigureAwait(false);
                }
                catch (LcException lookup) when (lookup.Kind != LcErrorKind.Cancelled)
                {
                    // The create's own error says what happened; the look-up only adds the id when it can.
                }
                if (existing?.Id == null) throw;
                var text = $"The contact exists already: {existing.Id}{(existing.Name is string n && n.Length > 0 ? " (" + n + ")" : "")}. " +
                    "Use New-LcContact -Upsert to update it, or Set-LcContact -ContactId " + existing.Id + ". API: " + ex.Message;
                var dup = new LcException(ex.Kind, text, ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path, ex.BodySnippet, ex.RetryAt, ex.Attempts);
                dup.Data[DuplicateIdKey] = existing.Id;
                throw dup;
            }
        }

        /// <summary>
        /// The contact an earlier create (or upsert) of this email or phone made at or after <paramref name="since"/>, looked up
        /// by its natural key (GET /contacts/search/duplicate, the email first, then the phone), or null: whether a create
        /// whose answer was lost reached the API. A contact added before <paramref name="since"/> was not made by it.
        /// </summary>
        public async Task<Contact?> FindMadeSinceAsync(string? locationId, string? email, string? phone, DateTimeOffset since, LcCall call)
        {
            foreach (var (e, p) in new[] { (email, (string?)null), ((string?)null, phone) })
            {
                if (!ContactInput.Given(e) && !ContactInput.Given(p)) continue;
                var found = await FindDuplicate(locationId, e, p).SendAsync(call).ConfigureAwait(false);
                if (found != null && (found.DateAdded == null || found.DateAdded >= since)) return found;
            }
            return null;
        }

        /// <summary>The key in an LcException's Data of the existing contact's id (a create refused as a duplicate).</summary>
        public const string DuplicateIdKey = "LeadConnector.DuplicateContactId";

        private static bool IsDuplicate(LcException ex)
        {
            foreach (var m in ex.Messages)
                if (m.IndexOf("duplicate", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return false;
        }

        /// <summary>POST /contacts/upsert (UpsertContactDto): { new, contact }; the contact's IsNew is the answer's "new".</summary>
        public LcRequest<Contact> Upsert(ContactInput input)
        {
            var location = CheckNew(input, "contact");
            var json = JsonBody.Write(w => input.Write(w, UpsertFields, location));
            return new LcRequest<Contact>(_connection, HttpMethod.Post, "contacts/upsert", null, json, ReadUpsert, location);
        }

        /// <summary>
        /// True when sending the upsert again cannot make a second contact: the API matches it by its email or phone to the
        /// contact the first attempt made (unless createNewIfDuplicateAllowed asks for a new contact every time).
        /// </summary>
        public static bool UpsertIsRepeatable(ContactInput input) =>
            (ContactInput.Given(input.Email) || ContactInput.Given(input.Phone)) && input.CreateNewIfDuplicateAllowed != true;

        /// <summary>
        /// Sends an <see cref="Upsert"/>. When it may have reached the API without an answer (a dropped connection, a timeout,
        /// a 5xx, a cut body) and it is repeatable (<see cref="UpsertIsRepeatable"/>), sends it again, up to the connection's
        /// MaxRetries: the API finds the contact the lost attempt made, so nothing is duplicated. IsNew is then unknown
        /// (null) unless the answer says new.
        /// </summary>
        public async Task<Contact> SendUpsertAsync(LcRequest<Contact> upsert, ContactInput input, LcCall call)
        {
            var repeatable = UpsertIsRepeatable(input);
            for (int resend = 0; ; resend++)
            {
                try
                {
                    var contact = await upsert.SendAsync(call).ConfigureAwait(false);
                    if (resend > 0 && contact.IsNew == false) contact.IsNew = null; // the lost attempt may have made it
                    return contact;
                }
                catch (LcException ex) when (repeatable && resend < _connection.MaxRetries && ex.MayHaveArrived && !call.CancellationToken.IsCancellationRequested)
                {
                    if (call.HasTrace) call.Verbose($"Sending POST /contacts/upsert for {input.Identity} again after: {ex.Message} (an upsert matched by email or phone is safe to repeat).");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(8000, 500 * (1 << Math.Min(resend, 4)))), call.CancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>PUT /contacts/{id} (UpdateContactDto): { succeded, contact }. Tags given replace the contact's tags.</summary>
        public LcRequest<Contact> Update(string id, ContactInput input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var path = "contacts/" + InputGuard.Id(id, "contact id");
            if (!input.HasFields) throw LcException.InvalidInput("Nothing to change: give at least one field.");
            input.Check("contact");
            var json = JsonBody.Write(w => input.Write(w, UpdateFields, null));
            return new LcRequest<Contact>(_connection, HttpMethod.Put, path, null, json, body => ReadContact(body, "PUT", path));
        }

        /// <summary>DELETE /contacts/{id}: { succeded }. Any answer but one saying succeded=false (or success=false) is a deletion.</summary>
        public LcRequest<bool> Delete(string id)
        {
            var path = "contacts/" + InputGuard.Id(id, "contact id");
            return new LcRequest<bool>(_connection, HttpMethod.Delete, path, null, null, body => DeleteFields.TryReadBody(body, out var a) && a.Failed
                ? throw new LcException(LcErrorKind.InvalidResponse, $"The API answered succeded=false to DELETE /{path}.", method: "DELETE", path: "/" + path)
                : true);
        }

        /// <summary>
        /// GET /contacts/search/duplicate: the contact the location would take as a duplicate of this email or phone (the
        /// API's order: email first), or null when there is none.
        /// </summary>
        public LcRequest<Contact?> FindDuplicate(string? locationId, string? email, string? phone)
        {
            var location = ResolveLocation(locationId);
            if (!ContactInput.Given(email) && !ContactInput.Given(phone)) throw LcException.InvalidInput("Give an email or a phone number to look up.");
            var query = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("locationId", location) };
            if (ContactInput.Given(email)) query.Add(new KeyValuePair<string, string>("email", email!));
            if (ContactInput.Given(phone)) query.Add(new KeyValuePair<string, string>("number", phone!));
            return new LcRequest<Contact?>(_connection, HttpMethod.Get, "contacts/search/duplicate", query, null, body =>
            {
                if (JsonSource.IsBlank(body)) return null;
                var c = Contact.Answer.Read(body, out _);
                return c?.Id == null ? null : c;
            }, location);
        }

        private string CheckNew(ContactInput input, string what)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var location = ResolveLocation(input.LocationId);
            if (!input.HasFields)
                throw LcException.InvalidInput("The contact has no fields: give at least a name, an email or a phone number.");
            input.Check(what);
            return location;
        }

        private static Contact ReadContact(byte[] body, string method, string path) =>
            Contact.Answer.Read(body, out _) is Contact c && c.Id != null ? c : throw ConversationOperations.Unexpected(method, path, "a contact object");

        private sealed class UpsertAnswer
        {
            public bool? New;
            public Contact? Contact;
        }

        private static readonly FieldMap<UpsertAnswer> UpsertAnswerFields = new FieldMap<UpsertAnswer>(() => new UpsertAnswer())
            .Add("new", (ref JsonSource s, UpsertAnswer a) => a.New = s.Bool())
            .Add("contact", (ref JsonSource s, UpsertAnswer a) =>
            {
                if (s.Token == JsonTokenType.StartObject) a.Contact = Contact.Fields.ReadNew(ref s);
                else s.Skip();
            });

        private static Contact ReadUpsert(byte[] body)
        {
            if (!UpsertAnswerFields.TryReadBody(body, out var answer) || answer.Contact?.Id == null)
                throw ConversationOperations.Unexpected("POST", "contacts/upsert", "an object with 'new' and 'contact'");
            answer.Contact.IsNew = answer.New;
            return answer.Contact;
        }

        private sealed class DeleteAnswer
        {
            public bool Failed;
        }

        private static readonly FieldMap<DeleteAnswer> DeleteFields = new FieldMap<DeleteAnswer>(() => new DeleteAnswer())
            .Add("succeded", (ref JsonSource s, DeleteAnswer a) => a.Failed |= s.Bool() == false)
            .Add("succeeded", (ref JsonSource s, DeleteAnswer a) => a.Failed |= s.Bool() == false)
            .Add("success", (ref JsonSource s, DeleteAnswer a) => a.Failed |= s.Bool() == false);

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
