using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A contact's tags: POST and DELETE /contacts/{contactId}/tags, both with the body { "tags": [...] } (TagsDTO).
    /// The DELETE's body is the point of the request: it says which tags go.
    /// </summary>
    public sealed class ContactTagOperations
    {
        /// <summary>
        /// The most tags one request takes, and the longest tag. The contract names no limit; these keep a request
        /// within what the API's UI allows and refuse a runaway array before it is sent.
        /// </summary>
        public const int MaxTags = 100;
        public const int MaxTagLength = 255;

        private readonly Connection _connection;

        public ContactTagOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>POST /contacts/{contactId}/tags: adds the tags; the API answers with the contact's tags.</summary>
        public LcRequest<ContactTags> Add(string contactId, IReadOnlyList<string> tags) => Build(HttpMethod.Post, contactId, tags);

        /// <summary>DELETE /contacts/{contactId}/tags with the tags to remove in its body; the API answers with the contact's tags.</summary>
        public LcRequest<ContactTags> Remove(string contactId, IReadOnlyList<string> tags) => Build(HttpMethod.Delete, contactId, tags);

        /// <summary>Sends <see cref="Add"/>.</summary>
        public async Task<ContactTags> AddAsync(string contactId, IReadOnlyList<string> tags, LcCall call) =>
            await Add(contactId, tags).SendAsync(call).ConfigureAwait(false);

        /// <summary>Sends <see cref="Remove"/>.</summary>
        public async Task<ContactTags> RemoveAsync(string contactId, IReadOnlyList<string> tags, LcCall call) =>
            await Remove(contactId, tags).SendAsync(call).ConfigureAwait(false);

        private LcRequest<ContactTags> Build(HttpMethod method, string contactId, IReadOnlyList<string> tags)
        {
            var path = "contacts/" + InputGuard.Id(contactId, "contact id") + "/tags";
            var checkedTags = CheckTags(tags);
            var json = JsonBody.Write(w =>
            {
                w.WriteStartArray("tags");
                foreach (var t in checkedTags) w.WriteStringValue(t);
                w.WriteEndArray();
            });
            return new LcRequest<ContactTags>(_connection, method, path, null, json, body =>
            {
                if (!ContactTags.Fields.TryReadBody(body, out var answer))
                    throw ConversationOperations.Unexpected(method.Method, path, "an object with 'tags'");
                answer.ContactId = contactId;
                return answer;
            });
        }

        /// <summary>
        /// The tags as sent: each one given, not blank, without control characters, at most <see cref="MaxTagLength"/>
        /// characters; a repeat (ignoring case) sent once; between 1 and <see cref="MaxTags"/> of them.
        /// </summary>
        public static IReadOnlyList<string> CheckTags(IReadOnlyList<string>? tags)
        {
            if (tags == null || tags.Count == 0) throw LcException.InvalidInput("Give at least one tag (-Tag); nothing was sent.");
            var result = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var tag in tags)
            {
                if (tag == null || tag.Trim().Length == 0) throw LcException.InvalidInput("A tag is empty; every tag needs a name. Nothing was sent.");
                CheckText(tag, "tag", lineBreaks: false);
                if (tag.Length > MaxTagLength)
                    throw LcException.InvalidInput($"The tag '{InputGuard.Printable(tag)}' is {tag.Length} characters long; tags are at most {MaxTagLength}. Nothing was sent.");
                if (seen.Add(tag)) result.Add(tag);
            }
            if (result.Count > MaxTags)
                throw LcException.InvalidInput($"{result.Count} tags were given; one request takes at most {MaxTags}. Nothing was sent.");
            return result;
        }

        /// <summary>Refuses text with control characters (with <paramref name="lineBreaks"/>, CR, LF and tab are text).</summary>
        internal static string CheckText(string value, string what, bool lineBreaks)
        {
            foreach (var c in value)
            {
                if (!char.IsControl(c) || lineBreaks && (c == '\n' || c == '\r' || c == '\t')) continue;
                throw LcException.InvalidInput($"The {what} '{InputGuard.Printable(value)}' contains a control character (U+{(int)c:X4}); nothing was sent.");
            }
            return value;
        }

        private sealed class SucceededAnswer
        {
            public bool? Succeeded;
        }

        // "succeded" is the contract's spelling; the others are read too, in case the API corrects it.
        private static readonly FieldMap<SucceededAnswer> SucceededFields = new FieldMap<SucceededAnswer>(() => new SucceededAnswer())
            .Add("succeded", (ref JsonSource s, SucceededAnswer a) => a.Succeeded = s.Bool())
            .Add("succeeded", (ref JsonSource s, SucceededAnswer a) => a.Succeeded ??= s.Bool())
            .Add("success", (ref JsonSource s, SucceededAnswer a) => a.Succeeded ??= s.Bool());

        /// <summary>
        /// An answer of the form { succeded: bool }: false is an error (InvalidResponse); any other answer, an empty body
        /// too, is success.
        /// </summary>
        internal static bool Succeeded(byte[] body, string method, string path)
        {
            if (SucceededFields.TryReadBody(body, out var answer) && answer.Succeeded == false)
                throw new LcException(LcErrorKind.InvalidResponse, $"The API answered succeded=false to {method} /{path}.", method: method, path: "/" + path);
            return true;
        }
    }

    /// <summary>Workflow enrollment: POST and DELETE /contacts/{contactId}/workflow/{workflowId}, both with CreateWorkflowDto.</summary>
    public sealed class ContactWorkflowOperations
    {
        private readonly Connection _connection;

        public ContactWorkflowOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>POST: enrolls the contact; <paramref name="eventStartTime"/> (UTC) is sent as eventStartTime, ISO 8601.</summary>
        public LcRequest<bool> Add(string contactId, string workflowId, DateTimeOffset? eventStartTime) =>
            Build(HttpMethod.Post, contactId, workflowId, eventStartTime);

        /// <summary>DELETE: removes the contact from the workflow (the contract gives the DELETE the same body).</summary>
        public LcRequest<bool> Remove(string contactId, string workflowId, DateTimeOffset? eventStartTime) =>
            Build(HttpMethod.Delete, contactId, workflowId, eventStartTime);

        private LcRequest<bool> Build(HttpMethod method, string contactId, string workflowId, DateTimeOffset? eventStartTime)
        {
            var path = "contacts/" + InputGuard.Id(contactId, "contact id") + "/workflow/" + InputGuard.Id(workflowId, "workflow id");
            // The body is required by the contract, even when it holds nothing.
            var json = JsonBody.Write(w =>
            {
                if (eventStartTime is DateTimeOffset at) w.WriteString("eventStartTime", IsoDate.Wire(at.UtcDateTime));
            });
            return new LcRequest<bool>(_connection, method, path, null, json, body => ContactTagOperations.Succeeded(body, method.Method, path));
        }
    }
}
