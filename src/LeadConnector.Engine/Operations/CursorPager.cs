using System;
using System.Collections.Generic;

namespace LeadConnector
{
    /// <summary>One page of a cursor-paged list (conversation search, messages, contacts).</summary>
    public sealed class CursorPage<T>
    {
        public CursorPage(IReadOnlyList<T> items, string? nextCursor, bool? hasMore, int? total)
        {
            Items = items;
            NextCursor = nextCursor;
            HasMore = hasMore;
            Total = total;
        }

        public IReadOnlyList<T> Items { get; }
        /// <summary>The cursor for the next page (a search document's sort value, lastMessageId, or a contact's searchAfter as JSON text).</summary>
        public string? NextCursor { get; }
        /// <summary>What the API says about more pages (nextPage), when it says.</summary>
        public bool? HasMore { get; }
        /// <summary>How many match in all, when the API says.</summary>
        public int? Total { get; }
    }

    /// <summary>
    /// Drives cursor paging (conversation search: startAfterDate/total; messages: lastMessageId/nextPage; contacts:
    /// searchAfter/total): how many to ask for next, and when to stop. The caller fetches and emits each page as it
    /// arrives, so nothing accumulates.
    /// </summary>
    public sealed class CursorPager<T>
    {
        private readonly int? _pageSize;
        private readonly int? _first;
        private readonly bool _all;
        private readonly int _defaultPageSize;
        private readonly HashSet<string> _seenCursors = new HashSet<string>(StringComparer.Ordinal);
        private int _sentLimit;

        public CursorPager(int? pageSize, int? first, bool all, int defaultPageSize, int maxPageSize)
        {
            if (pageSize is int p && (p < 1 || p > maxPageSize)) throw LcException.InvalidInput($"PageSize must be between 1 and {maxPageSize}; it was {p}.");
            if (first is int f && f < 0) throw LcException.InvalidInput($"First must be 0 or more; it was {f}.");
            _pageSize = pageSize;
            _first = first;
            _all = all;
            _defaultPageSize = defaultPageSize;
            _sentLimit = defaultPageSize;
            Done = first == 0;
        }

        /// <summary>The -First limit, if any.</summary>
        public int? First => _first;
        /// <summary>True when -All or -First asks for more than the first page (then progress is worth showing).</summary>
        public bool PagesOn => _all || _first != null;
        public int Returned { get; private set; }
        public int? Total { get; private set; }
        public string? Cursor { get; private set; }
        public bool Done { get; private set; }
        /// <summary>True when paging stopped only because neither -All nor -First asked for more (and more remain).</summary>
        public bool StoppedAtFirstPage { get; private set; }

        /// <summary>The limit to send with the next request; null sends none (the API's default).</summary>
        public int? NextLimit()
        {
            int? limit = _pageSize;
            if (_first is int f) limit = Math.Min(f - Returned, _pageSize ?? _defaultPageSize);
            _sentLimit = limit ?? _defaultPageSize;
            return limit;
        }

        /// <summary>
        /// Goes on from a cursor recorded by an earlier run (a checkpoint of -All): the next page is the one after
        /// <paramref name="returned"/> items.
        /// </summary>
        public void ResumeAt(string cursor, int returned)
        {
            Cursor = cursor ?? throw new ArgumentNullException(nameof(cursor));
            _seenCursors.Add(cursor);
            Returned = returned;
        }

        public IReadOnlyList<T> Accept(CursorPage<T> page)
        {
            if (page == null) throw new ArgumentNullException(nameof(page));
            if (Done) return Array.Empty<T>();
            Total = page.Total ?? Total;
            IReadOnlyList<T> items = page.Items;
            if (_first is int f && Returned + items.Count > f)
            {
                var trimmed = new List<T>();
                for (int i = 0; i < f - Returned; i++) trimmed.Add(items[i]);
                items = trimmed;
            }
            Returned += items.Count;

            var next = page.NextCursor;
            if (_first is int ff && Returned >= ff) Done = true;
            else if (page.Items.Count == 0) Done = true;
            else if (page.HasMore == false) Done = true;
            else if (Total is int t && Returned >= t) Done = true;
            else if (page.HasMore == null && page.Items.Count < _sentLimit) Done = true;
            else if (next == null || !_seenCursors.Add(next)) Done = true; // no cursor, or it did not advance: stop, never loop
            else if (!_all && _first == null) { Done = true; StoppedAtFirstPage = true; }
            Cursor = next;
            return items;
        }
    }
}
