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

        internal static Conversation Read(JsonElement e)
        {
            var c = new Conversation
            {
                Id = JsonRead.String(e, "id"),
                LocationId = JsonRead.String(e, "locationId"),
                ContactId = JsonRead.String(e, "contactId"),
                AssignedTo = JsonRead.String(e, "assignedTo"),
                UserId = JsonRead.String(e, "userId"),
                LastMessageBody = JsonRead.String(e, "lastMessageBody"),
                LastMessageType = JsonRead.String(e, "lastMessageType"),
                LastMessageDirection = JsonRead.String(e, "lastMessageDirection"),
                LastMessageDate = JsonRead.Date(e, "lastMessageDate"),
                DateAdded = JsonRead.Date(e, "dateAdded"),
                DateUpdated = JsonRead.Date(e, "dateUpdated"),
                UnreadCount = JsonRead.Int(e, "unreadCount"),
                Inbox = JsonRead.Bool(e, "inbox"),
                Starred = JsonRead.Bool(e, "starred"),
                Deleted = JsonRead.Bool(e, "deleted"),
                FullName = JsonRead.String(e, "fullName"),
                ContactName = JsonRead.String(e, "contactName"),
                Email = JsonRead.String(e, "email"),
                Phone = JsonRead.String(e, "phone"),
            };
            var type = JsonRead.Prop(e, "type");
            if (type != null)
            {
                if (type.Value.ValueKind == JsonValueKind.Number)
                    c.Type = JsonRead.AsLong(type.Value) is long n ? ConversationTypes.FromNumber(n) : ConversationType.Unknown;
                else if (type.Value.ValueKind == JsonValueKind.String)
                    c.Type = ConversationTypes.FromString(type.Value.GetString());
            }
            c.SortValue = ReadSort(e) ?? (c.LastMessageDate?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            return c;
        }

        private static string? ReadSort(JsonElement e)
        {
            var sort = JsonRead.Prop(e, "sort");
            if (sort == null) return null;
            if (sort.Value.ValueKind == JsonValueKind.Array)
            {
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
