using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A conversation thread. Every contract field; dates as UTC.</summary>
    public sealed class Conversation
    {
        public string? Id { get; set; }
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public string? AssignedTo { get; set; }
        public string? UserId { get; set; }
        public ConversationType? Type { get; set; }
        public string? LastMessageBody { get; set; }
        public string? LastMessageType { get; set; }
        public string? LastMessageDirection { get; set; }
        public DateTimeOffset? LastMessageDate { get; set; }
        public DateTimeOffset? DateAdded { get; set; }
        public DateTimeOffset? DateUpdated { get; set; }
        public int? UnreadCount { get; set; }
        public bool? Inbox { get; set; }
        public bool? Starred { get; set; }
        public bool? Deleted { get; set; }
        public string? FullName { get; set; }
        public string? ContactName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }

        /// <summary>The search sort value of this document, the cursor for the next page (not a contract field).</summary>
        internal string? SortValue { get; set; }

        /// <summary>
        /// This conversation with what it lacks taken from <paramref name="known"/> (the same conversation, read before):
        /// every field this one has stays; a field it has not is copied. Returns this instance.
        /// </summary>
        public Conversation FillFrom(Conversation? known)
        {
            if (known == null || ReferenceEquals(known, this)) return this;
            Id ??= known.Id;
            LocationId ??= known.LocationId;
            ContactId ??= known.ContactId;
            AssignedTo ??= known.AssignedTo;
            UserId ??= known.UserId;
            Type ??= known.Type;
            LastMessageBody ??= known.LastMessageBody;
            LastMessageType ??= known.LastMessageType;
            LastMessageDirection ??= known.LastMessageDirection;
            LastMessageDate ??= known.LastMessageDate;
            DateAdded ??= known.DateAdded;
            DateUpdated ??= known.DateUpdated;
            UnreadCount ??= known.UnreadCount;
            Inbox ??= known.Inbox;
            Starred ??= known.Starred;
            Deleted ??= known.Deleted;
            FullName ??= known.FullName;
            ContactName ??= known.ContactName;
            Email ??= known.Email;
            Phone ??= known.Phone;
            return this;
        }

        /// <summary>A new conversation's contact details, from the contact it was made for (the create's answer has none).</summary>
        public Conversation FillFrom(Contact? contact)
        {
            if (contact == null || (ContactId != null && contact.Id != null && ContactId != contact.Id)) return this;
            ContactId ??= contact.Id;
            var name = contact.Name ?? string.Join(" ", new[] { contact.FirstName, contact.LastName }).Trim();
            if (name.Length > 0) { FullName ??= name; ContactName ??= name; }
            Email ??= contact.Email;
            Phone ??= contact.Phone;
            return this;
        }

        public override string ToString() => Id ?? "(conversation)";

        // In the order the search answer lists them (the fast path of FieldMap); any order reads correctly.
        internal static readonly FieldMap<Conversation> Fields = new FieldMap<Conversation>(() => new Conversation(),
                // No sort value: the last message date is the cursor.
                c => c.SortValue ??= c.LastMessageDate?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            .Add("id", (ref JsonSource s, Conversation c) => c.Id = s.String())
            .Add("contactId", (ref JsonSource s, Conversation c) => c.ContactId = s.String())
            .Add("locationId", (ref JsonSource s, Conversation c) => c.LocationId = s.String())
            .Add("lastMessageBody", (ref JsonSource s, Conversation c) => c.LastMessageBody = s.String())
            .Add("lastMessageType", (ref JsonSource s, Conversation c) => c.LastMessageType = s.String())
            .Add("lastMessageDirection", (ref JsonSource s, Conversation c) => c.LastMessageDirection = s.String())
            .Add("type", (ref JsonSource s, Conversation c) => c.Type = ReadType(ref s))
            .Add("unreadCount", (ref JsonSource s, Conversation c) => c.UnreadCount = s.Int())
            .Add("fullName", (ref JsonSource s, Conversation c) => c.FullName = s.String())
            .Add("contactName", (ref JsonSource s, Conversation c) => c.ContactName = s.String())
            .Add("email", (ref JsonSource s, Conversation c) => c.Email = s.String())
            .Add("phone", (ref JsonSource s, Conversation c) => c.Phone = s.String())
            .Add("assignedTo", (ref JsonSource s, Conversation c) => c.AssignedTo = s.String())
            .Add("starred", (ref JsonSource s, Conversation c) => c.Starred = s.Bool())
            .Add("inbox", (ref JsonSource s, Conversation c) => c.Inbox = s.Bool())
            .Add("dateAdded", (ref JsonSource s, Conversation c) => c.DateAdded = s.Date())
            .Add("dateUpdated", (ref JsonSource s, Conversation c) => c.DateUpdated = s.Date())
            .Add("lastMessageDate", (ref JsonSource s, Conversation c) => c.LastMessageDate = s.Date())
            .Add("sort", (ref JsonSource s, Conversation c) => c.SortValue = ReadSort(ref s))
            .Add("deleted", (ref JsonSource s, Conversation c) => c.Deleted = s.Bool())
            .Add("userId", (ref JsonSource s, Conversation c) => c.UserId = s.String());

        /// <summary>A get/create/update answer: the conversation itself or { success, conversation }.</summary>
        internal static readonly WrappedAnswer<Conversation> Answer = new WrappedAnswer<Conversation>(Fields, "conversation");

        /// <summary>A number (ConversationTypes.FromNumber) or a TYPE_* string; the usual spellings compared as bytes.</summary>
        private static ConversationType? ReadType(ref JsonSource s)
        {
            switch (s.Token)
            {
                case JsonTokenType.Number:
                    return s.Long() is long n ? ConversationTypes.FromNumber(n) : ConversationType.Unknown;
                case JsonTokenType.String:
                    return s.Reader.ValueTextEquals(TypePhone) ? ConversationType.Phone
                        : s.Reader.ValueTextEquals(TypeEmail) ? ConversationType.Email
                        : ConversationTypes.FromString(s.Reader.GetString());
                default:
                    s.Skip();
                    return null;
            }
        }

        private static readonly byte[] TypePhone = System.Text.Encoding.UTF8.GetBytes("TYPE_PHONE");
        private static readonly byte[] TypeEmail = System.Text.Encoding.UTF8.GetBytes("TYPE_EMAIL");

        /// <summary>
        /// The search sort value: a number, or an array of numbers (one: that number; several: joined with ","). Anything
        /// else, or an array holding anything but numbers, is no sort value.
        /// </summary>
        private static string? ReadSort(ref JsonSource s)
        {
            if (s.Token != JsonTokenType.StartArray) return s.Long()?.ToString(CultureInfo.InvariantCulture);
            long? first = null;
            List<long>? more = null;
            int count = 0;
            bool allNumbers = true;
            while (s.Reader.Read() && s.Reader.TokenType != JsonTokenType.EndArray)
            {
                var n = s.Long();
                allNumbers &= n != null;
                if (count++ == 0) first = n;
                else if (n is long value) (more ??= new List<long>()).Add(value);
            }
            if (count == 1) return first?.ToString(CultureInfo.InvariantCulture);
            if (count == 0 || !allNumbers) return null;
            var sb = new StringBuilder(first!.Value.ToString(CultureInfo.InvariantCulture));
            foreach (var v in more!) sb.Append(',').Append(v.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
