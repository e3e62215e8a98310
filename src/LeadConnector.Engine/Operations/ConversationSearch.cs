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

    /// <summary>One page of search results.</summary>
    public sealed class ConversationPage
    {
        public ConversationPage(IReadOnlyList<Conversation> items, int? total)
        {
            Items = items;
            Total = total;
        }

        public IReadOnlyList<Conversation> Items { get; }
        /// <summary>How many conversations match in all, when the API says.</summary>
        public int? Total { get; }
    }

    /// <summary>
    /// Drives search paging with the startAfterDate cursor: how many to ask for next, and when to stop.
    /// The caller fetches and emits; this only decides, so a host can emit each page as it arrives.
    /// </summary>
    public sealed class SearchPager
    {
        public const int DefaultPageSize = 20;
        public const int MaxPageSize = 100;

        private readonly int? _pageSize;
        private readonly int? _first;
        private readonly bool _all;
        private readonly HashSet<string> _seenCursors = new HashSet<string>(StringComparer.Ordinal);
        private int _sentLimit = DefaultPageSize;

        /// <param name="pageSize">limit per request; null = the API's default of 20.</param>
        /// <param name="first">stop after this many; null = no cap.</param>
        /// <param name="all">read every page (otherwise only the first, unless <paramref name="first"/> asks for more).</param>
        public SearchPager(int? pageSize, int? first, bool all)
        {
            if (pageSize is int p && (p < 1 || p > MaxPageSize)) throw LcException.InvalidInput($"PageSize must be between 1 and {MaxPageSize}; it was {p}.");
            if (first is int f && f < 0) throw LcException.InvalidInput($"First must be 0 or more; it was {f}.");
            _pageSize = pageSize;
            _first = first;
            _all = all;
            Done = first == 0;
        }

        /// <summary>Items handed out so far.</summary>
        public int Returned { get; private set; }
        /// <summary>The total the API last reported.</summary>
        public int? Total { get; private set; }
        /// <summary>The cursor for the next request (null for the first page).</summary>
        public string? Cursor { get; private set; }
        /// <summary>True when no more requests should be made.</summary>
        public bool Done { get; private set; }
        /// <summary>True when paging stopped only because neither -All nor -First asked for more.</summary>
        public bool StoppedAtFirstPage { get; private set; }

        /// <summary>The limit to send with the next request; null sends none (the API's default of 20).</summary>
        public int? NextLimit()
        {
            int? limit = _pageSize;
            if (_first is int f) limit = Math.Min(f - Returned, _pageSize ?? DefaultPageSize);
            _sentLimit = limit ?? DefaultPageSize;
            return limit;
        }

        /// <summary>Takes a page and returns the items to emit (trimmed to -First).</summary>
        public IReadOnlyList<Conversation> Accept(ConversationPage page)
        {
            if (Done) return Array.Empty<Conversation>();
            Total = page.Total ?? Total;
            IReadOnlyList<Conversation> items = page.Items;
            if (_first is int f && Returned + items.Count > f)
            {
                var trimmed = new List<Conversation>();
                for (int i = 0; i < f - Returned; i++) trimmed.Add(items[i]);
                items = trimmed;
            }
            Returned += items.Count;

            var lastCursor = page.Items.Count > 0 ? page.Items[page.Items.Count - 1].SortValue : null;
            if (_first is int ff && Returned >= ff) Done = true;
            else if (page.Items.Count == 0) Done = true;
            else if (Total is int t && Returned >= t) Done = true;
            else if (page.Items.Count < _sentLimit) Done = true;
            else if (lastCursor == null || !_seenCursors.Add(lastCursor)) Done = true; // no cursor, or it did not advance: stop, never loop
            else if (!_all && _first == null) { Done = true; StoppedAtFirstPage = true; }
            Cursor = lastCursor;
            return items;
        }
    }
}
