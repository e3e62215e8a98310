using System;
using System.Collections.Generic;
using System.Globalization;

namespace LeadConnector
{
    /// <summary>The filters of GET /conversations/search. Null means "not sent".</summary>
    public sealed class ConversationQuery
    {
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public IReadOnlyList<string>? AssignedTo { get; set; }
        public string? Query { get; set; }
        public string? Status { get; set; }
        public string? LastMessageType { get; set; }
        public string? LastMessageDirection { get; set; }
        public string? Sort { get; set; }
        public string? SortBy { get; set; }
        public DateTimeOffset? StartDate { get; set; }
        public DateTimeOffset? EndDate { get; set; }

        internal IEnumerable<KeyValuePair<string, string>> ToQuery(string locationId, int? limit, string? startAfter)
        {
            yield return Pair("locationId", locationId);
            if (ContactId != null) yield return Pair("contactId", ContactId);
            if (AssignedTo != null && AssignedTo.Count > 0) yield return Pair("assignedTo", string.Join(",", AssignedTo));
            if (Query != null) yield return Pair("query", Query);
            if (Status != null) yield return Pair("status", Status);
            if (LastMessageType != null) yield return Pair("lastMessageType", LastMessageType);
            if (LastMessageDirection != null) yield return Pair("lastMessageDirection", LastMessageDirection);
            if (Sort != null) yield return Pair("sort", Sort);
            if (SortBy != null) yield return Pair("sortBy", SortBy);
            if (StartDate != null) yield return Pair("startDate", StartDate.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            if (EndDate != null) yield return Pair("endDate", EndDate.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            if (limit != null) yield return Pair("limit", limit.Value.ToString(CultureInfo.InvariantCulture));
            if (startAfter != null)
            {
                // An array sort value ("n,m": one document sorted by two fields) goes as the repeated form
                // startAfterDate=n&startAfterDate=m, which standard query parsers read as an array; "n,m" would be one string.
                foreach (var part in startAfter.Split(','))
                    yield return Pair("startAfterDate", part);
            }
        }

        private static KeyValuePair<string, string> Pair(string k, string v) => new KeyValuePair<string, string>(k, v);
    }
}
