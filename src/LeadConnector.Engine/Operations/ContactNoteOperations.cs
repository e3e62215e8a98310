using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A note's fields as New-LcContactNote and Set-LcContactNote send them (NotesDTO, UpdateNoteDTO). Null fields are not sent.</summary>
    public sealed class ContactNoteChanges
    {
        public string? Body { get; set; }
        public string? Title { get; set; }
        public string? Color { get; set; }
        public bool? Pinned { get; set; }
        public string? UserId { get; set; }

        public bool HasChanges => Body != null || Title != null || Color != null || Pinned != null || UserId != null;
    }

    /// <summary>Contact note endpoints: /contacts/{contactId}/notes[/{id}] (list, get, create, update, delete).</summary>
    public sealed class ContactNoteOperations
    {
        private readonly Connection _connection;

        public ContactNoteOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>GET /contacts/{contactId}/notes: { notes: [...] }, every note of the contact (the API does not page them).</summary>
        public LcRequest<IReadOnlyList<ContactNote>> List(string contactId)
        {
            var path = NotesPath(contactId);
            return new LcRequest<IReadOnlyList<ContactNote>>(_connection, HttpMethod.Get, path, null, null, body => ReadList(body, contactId, path));
        }

        /// <summary>GET /contacts/{contactId}/notes/{id}.</summary>
        public LcRequest<ContactNote> Get(string contactId, string id)
        {
            var path = NotePath(contactId, id);
            return new LcRequest<ContactNote>(_connection, HttpMethod.Get, path, null, null, body => ReadNote(body, contactId, "GET", path));
        }

        /// <summary>Sends <see cref="Get"/>.</summary>
        public async Task<ContactNote> GetAsync(string contactId, string id, LcCall call) => await Get(contactId, id).SendAsync(call).ConfigureAwait(false);

        /// <summary>POST /contacts/{contactId}/notes: body is required (NotesDTO).</summary>
        public LcRequest<ContactNote> Create(string contactId, ContactNoteChanges note)
        {
            if (note == null) throw new ArgumentNullException(nameof(note));
            var path = NotesPath(contactId);
            if (string.IsNullOrWhiteSpace(note.Body)) throw LcException.InvalidInput("A note needs a body (-Body); nothing was sent.");
            var json = Write(note);
            return new LcRequest<ContactNote>(_connection, HttpMethod.Post, path, null, json, body => ReadNote(body, contactId, "POST", path));
        }

        /// <summary>PUT /contacts/{contactId}/notes/{id}: only the given fields (UpdateNoteDTO).</summary>
        public LcRequest<ContactNote> Update(string contactId, string id, ContactNoteChanges changes)
        {
            if (changes == null) throw new ArgumentNullException(nameof(changes));
            var path = NotePath(contactId, id);
            if (!changes.HasChanges) throw LcException.InvalidInput("Nothing to change: give -Body, -Title, -Color, -Pinned or -UserId.");
            if (changes.Body != null && changes.Body.Trim().Length == 0) throw LcException.InvalidInput("A note's body cannot be empty; nothing was sent.");
            var json = Write(changes);
            return new LcRequest<ContactNote>(_connection, HttpMethod.Put, path, null, json, body => ReadNote(body, contactId, "PUT", path));
        }

        /// <summary>DELETE /contacts/{contactId}/notes/{id}: { succeded: true } (the API's spelling); an answer saying false is an error.</summary>
        public LcRequest<bool> Delete(string contactId, string id)
        {
            var path = NotePath(contactId, id);
            return new LcRequest<bool>(_connection, HttpMethod.Delete, path, null, null, body => ContactTagOperations.Succeeded(body, "DELETE", path));
        }

        private static string NotesPath(string contactId) => "contacts/" + InputGuard.Id(contactId, "contact id") + "/notes";

        private static string NotePath(string contactId, string id) => NotesPath(contactId) + "/" + InputGuard.Id(id, "note id");

        /// <summary>The body of a create or update, every field checked: text without control characters (line breaks allowed in the body), a user id.</summary>
        private static string Write(ContactNoteChanges note)
        {
            if (note.Body != null) ContactTagOperations.CheckText(note.Body, "note body", lineBreaks: true);
            if (note.Title != null) ContactTagOperations.CheckText(note.Title, "note title", lineBreaks: false);
            if (note.Color != null)
            {
                if (note.Color.Length == 0) throw LcException.InvalidInput("The note color is empty; give a color such as '#FFAA00'. Nothing was sent.");
                ContactTagOperations.CheckText(note.Color, "note color", lineBreaks: false);
            }
            if (note.UserId != null) InputGuard.Id(note.UserId, "user id");
            return JsonBody.Write(w =>
            {
                if (note.UserId != null) w.WriteString("userId", note.UserId);
                if (note.Body != null) w.WriteString("body", note.Body);
                if (note.Title != null) w.WriteString("title", note.Title);
                if (note.Color != null) w.WriteString("color", note.Color);
                if (note.Pinned is bool p) w.WriteBoolean("pinned", p);
            });
        }

        private sealed class ListAnswer
        {
            public List<ContactNote>? Notes;
        }

        private static readonly FieldMap<ListAnswer> ListFields = new FieldMap<ListAnswer>(() => new ListAnswer())
            .Add("notes", (ref JsonSource s, ListAnswer a) => a.Notes = s.Objects(ContactNote.Fields));

        internal static IReadOnlyList<ContactNote> ReadList(byte[] body, string contactId, string path)
        {
            if (!ListFields.TryReadBody(body, out var answer) || answer.Notes == null)
                throw ConversationOperations.Unexpected("GET", path, "an object with a 'notes' array");
            foreach (var n in answer.Notes) n.ContactId ??= contactId;
            return answer.Notes;
        }

        internal static ContactNote ReadNote(byte[] body, string contactId, string method, string path)
        {
            var note = ContactNote.Answer.Read(body, out var success) ?? throw ConversationOperations.Unexpected(method, path, "a note object");
            if (success == false)
                throw new LcException(LcErrorKind.InvalidResponse, $"The API answered success=false to {method} /{path}.", method: method, path: "/" + path);
            note.ContactId ??= contactId;
            return note;
        }
    }
}
