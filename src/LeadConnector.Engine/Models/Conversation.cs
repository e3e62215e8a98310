using System;
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

        public override string ToString() => Id ?? "(conversation)";

        // In the order the search and get answers list them (the fast path of ReadFields); any order reads correctly.
        private static readonly FieldMap<Conversation> Fields = new FieldMap<Conversation>()
            .Add("id", (c, v) => c.Id = JsonRead.AsString(v))
            .Add("contactId", (c, v) => c.ContactId = JsonRead.AsString(v))
            .Add("locationId", (c, v) => c.LocationId = JsonRead.AsString(v))
            .Add("lastMessageBody", (c, v) => c.LastMessageBody = JsonRead.AsString(v))
            .Add("lastMessageType", (c, v) => c.LastMessageType = JsonRead.AsString(v))
            .Add("lastMessageDirection", (c, v) => c.LastMessageDirection = JsonRead.AsString(v))
            .Add("type", (c, v) => c.Type = v.ValueKind == JsonValueKind.Number
                ? (JsonRead.AsLong(v) is long n ? ConversationTypes.FromNumber(n) : ConversationType.Unknown)
                : v.ValueKind == JsonValueKind.String ? TypeFromString(v) : (ConversationType?)null)
            .Add("unreadCount", (c, v) => c.UnreadCount = JsonRead.AsInt(v))
            .Add("fullName", (c, v) => c.FullName = JsonRead.AsString(v))
            .Add("contactName", (c, v) => c.ContactName = JsonRead.AsString(v))
            .Add("email", (c, v) => c.Email = JsonRead.AsString(v))
            .Add("phone", (c, v) => c.Phone = JsonRead.AsString(v))
            .Add("assignedTo", (c, v) => c.AssignedTo = JsonRead.AsString(v))
            .Add("starred", (c, v) => c.Starred = JsonRead.AsBool(v))
            .Add("inbox", (c, v) => c.Inbox = JsonRead.AsBool(v))
            .Add("deleted", (c, v) => c.Deleted = JsonRead.AsBool(v))
            .Add("userId", (c, v) => c.UserId = JsonRead.AsString(v))
            .Add("dateAdded", (c, v) => c.DateAdded = JsonRead.AsDate(v))
            .Add("dateUpdated", (c, v) => c.DateUpdated = JsonRead.AsDate(v))
            .Add("lastMessageDate", (c, v) => c.LastMessageDate = JsonRead.AsDate(v))
            .Add("sort", (c, v) => c.SortValue = ReadSort(v));

        /// <summary>The usual spellings compared as bytes; anything else through the lenient ConversationTypes.FromString.</summary>
        private static ConversationType? TypeFromString(JsonElement v) =>
            v.ValueEquals("TYPE_PHONE") ? ConversationType.Phone
            : v.ValueEquals("TYPE_EMAIL") ? ConversationType.Email
            : ConversationTypes.FromString(v.GetString());

        internal static Conversation Read(JsonElement e)
        {
            var c = new Conversation();
            JsonRead.ReadFields(e, c, Fields);
            c.SortValue ??= c.LastMessageDate?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return c;
        }

        private static string? ReadSort(JsonElement? sort)
        {
            if (sort == null) return null;
            if (sort.Value.ValueKind == JsonValueKind.Array)
            {
                if (sort.Value.GetArrayLength() == 1)
                {
                    var only = JsonRead.AsLong(sort.Value[0]);
                    return only?.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                var parts = new System.Collections.Generic.List<string>();
                foreach (var v in sort.Value.EnumerateArray())
                {
                    if (JsonRead.AsLong(v) is long n) parts.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    else return null;
                }
                return parts.Count == 0 ? null : string.Join(",", parts);
            }
            return JsonRead.AsLong(sort.Value)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
