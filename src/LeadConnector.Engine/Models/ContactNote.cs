using System;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A note on a contact (GetNoteSchema of /contacts/{contactId}/notes): every contract field; dates as UTC.</summary>
    public sealed class ContactNote
    {
        public string? Id { get; set; }
        /// <summary>The contact the note belongs to (the request's contact when the answer leaves it out).</summary>
        public string? ContactId { get; set; }
        public string? Title { get; set; }
        public string? Body { get; set; }
        public string? UserId { get; set; }
        public string? Color { get; set; }
        public bool? Pinned { get; set; }
        public DateTimeOffset? DateAdded { get; set; }

        public override string ToString() => Id ?? "(note)";

        // In the order the answers list them (the fast path of FieldMap); any order reads correctly.
        internal static readonly FieldMap<ContactNote> Fields = new FieldMap<ContactNote>(() => new ContactNote())
            .Add("id", (ref JsonSource s, ContactNote n) => n.Id = s.String())
            .Add("body", (ref JsonSource s, ContactNote n) => n.Body = s.String())
            .Add("userId", (ref JsonSource s, ContactNote n) => n.UserId = s.String())
            .Add("dateAdded", (ref JsonSource s, ContactNote n) => n.DateAdded = s.Date())
            .Add("contactId", (ref JsonSource s, ContactNote n) => n.ContactId = s.String())
            .Add("title", (ref JsonSource s, ContactNote n) => n.Title = s.String())
            .Add("color", (ref JsonSource s, ContactNote n) => n.Color = s.String())
            .Add("pinned", (ref JsonSource s, ContactNote n) => n.Pinned = s.Bool());

        /// <summary>A get/create/update answer: { note: {...} } (the note itself is accepted too).</summary>
        internal static readonly WrappedAnswer<ContactNote> Answer = new WrappedAnswer<ContactNote>(Fields, "note");
    }

    /// <summary>
    /// A contact's tags after Add-LcContactTag or Remove-LcContactTag (CreateAddTagSuccessfulResponseDto,
    /// CreateDeleteTagSuccessfulResponseDto: the API answers with the tags), with the contact they belong to.
    /// </summary>
    public sealed class ContactTags
    {
        public string? ContactId { get; set; }
        public StringList Tags { get; set; } = StringList.Empty;

        public override string ToString() => Tags.ToString();

        internal static readonly FieldMap<ContactTags> Fields = new FieldMap<ContactTags>(() => new ContactTags())
            .Add("tags", (ref JsonSource s, ContactTags t) => t.Tags = StringList.Of(s.Strings()));
    }
}
