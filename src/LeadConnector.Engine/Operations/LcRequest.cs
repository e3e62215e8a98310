using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;

namespace LeadConnector
{
    /// <summary>
    /// A request an operation built and checked once (ids, location, body) before anything is sent. A cmdlet builds it,
    /// shows it in ShouldProcess (-WhatIf), then sends exactly it: nothing is checked or rebuilt on the way. Only the
    /// engine makes one, so holding one means its input was accepted.
    /// </summary>
    public sealed class LcRequest<T>
    {
        private readonly Connection _connection;
        private readonly HttpMethod _method;
        private readonly IReadOnlyList<KeyValuePair<string, string>>? _query;
        private readonly Func<byte[], T> _read;

        internal LcRequest(Connection connection, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            string? json, Func<byte[], T> read, string? locationId = null)
        {
            _connection = connection;
            _method = method;
            Path = path;
            _query = query?.ToList();
            Json = json;
            _read = read;
            LocationId = locationId;
        }

        /// <summary>GET, POST, PUT or DELETE.</summary>
        public string Method => _method.Method;
        /// <summary>The path relative to the connection's base URI (no leading '/'), built from checked segments.</summary>
        public string Path { get; }
        /// <summary>The body as JSON text; null when none.</summary>
        public string? Json { get; }
        /// <summary>The location the request acts in (the given one, else the connection's), when the endpoint takes one.</summary>
        public string? LocationId { get; }

        /// <summary>Sends the request and reads the answer.</summary>
        public Task<T> SendAsync(LcCall call) => _connection.Client.SendAsync(_method, Path, _query, Json, call, _read);

        public override string ToString() => Method + " /" + Path;
    }

    /// <summary>
    /// A cursor-paged list whose filters were checked once: each page is a request of its own (<see cref="Page"/>), with
    /// that page's size and the cursor the previous page gave.
    /// </summary>
    public sealed class LcPagedRequest<T>
    {
        private readonly Func<int?, string?, LcRequest<CursorPage<T>>> _page;

        internal LcPagedRequest(string? locationId, Func<int?, string?, LcRequest<CursorPage<T>>> page)
        {
            LocationId = locationId;
            _page = page;
        }

        /// <summary>The location searched, when the list belongs to one.</summary>
        public string? LocationId { get; }

        /// <summary>The request for one page: at most <paramref name="limit"/> items (null: the API's default) after <paramref name="cursor"/>.</summary>
        public LcRequest<CursorPage<T>> Page(int? limit, string? cursor) => _page(limit, cursor);
    }
}
