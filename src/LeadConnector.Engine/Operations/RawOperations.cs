using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// Raw calls for endpoints the module does not wrap (Invoke-LcRequest): the same client, so the same auth,
    /// pacing, retries (POST only when it provably did not arrive) and error mapping. The path may not leave the API.
    /// </summary>
    public sealed class RawOperations
    {
        private static readonly HashSet<string> Methods = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "GET", "POST", "PUT", "PATCH", "DELETE" };

        private readonly Connection _connection;

        public RawOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>The method in upper case; refused unless GET, POST, PUT, PATCH or DELETE.</summary>
        public static string CheckMethod(string method)
        {
            if (method == null || !Methods.Contains(method))
                throw LcException.InvalidInput($"The method '{InputGuard.Printable(method ?? "")}' is not one of GET, POST, PUT, PATCH, DELETE.");
            return method.ToUpperInvariant();
        }

        /// <summary>
        /// A path relative to the connection's base URI, refused when it could leave the API: an absolute URL, '//host',
        /// '@', backslashes, '..' or '.' segments (also percent-encoded), encoded slashes, '?', '#', white space or control
        /// characters. A leading '/' is allowed and means "from the base path". Returns the path without it. A trailing '/'
        /// is kept and sent as given: the API's own create paths end with one (POST /contacts/, POST /conversations/).
        /// </summary>
        public string CheckPath(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw LcException.InvalidInput("The path is empty.");
            foreach (var c in path)
            {
                if (char.IsControl(c) || char.IsWhiteSpace(c)) throw Refuse(path, "white space or a control character");
                if (c > '~') throw Refuse(path, "a non-ASCII character (percent-encode it)");
                if (c == '\\') throw Refuse(path, "a backslash");
                if (c == '@') throw Refuse(path, "'@'");
                if (c == '?' || c == '#') throw Refuse(path, $"'{c}' (pass query values with -Query)");
                if (c == ':') throw Refuse(path, "':' (it must be a path, not a URL)");
            }
            if (path.StartsWith("//", StringComparison.Ordinal)) throw Refuse(path, "a leading '//' (a host)");
            var relative = path.TrimStart('/');
            if (relative.Length == 0) throw LcException.InvalidInput("The path is empty.");
            var segments = relative.EndsWith("/", StringComparison.Ordinal) ? relative.Substring(0, relative.Length - 1) : relative;
            foreach (var segment in segments.Split('/'))
            {
                string decoded;
                try { decoded = Decode(segment); }
                catch (FormatException) { throw Refuse(path, "a malformed percent escape"); }
                if (decoded.Length == 0) throw Refuse(path, "an empty segment ('//')");
                if (decoded == "." || decoded == "..") throw Refuse(path, "a '.' or '..' segment");
                foreach (var c in decoded)
                    if (c == '/' || c == '\\' || c == '?' || c == '#' || c == '@' || c == ':' || char.IsControl(c))
                        throw Refuse(path, "an encoded '/', '\\', '?', '#', '@', ':' or control character");
            }
            // Belt and braces: the URI the client will build must stay under the base.
            var baseUri = _connection.BaseUri;
            var uri = new Uri(baseUri, relative);
            if (!string.Equals(uri.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(uri.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase) ||
                !uri.AbsolutePath.StartsWith(baseUri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? baseUri.AbsolutePath : baseUri.AbsolutePath + "/", StringComparison.Ordinal))
                throw Refuse(path, "a target outside the API base URI");
            return relative;
        }

        /// <summary>Percent-decodes repeatedly until stable, so %252e%252e is seen as '..'.</summary>
        private static string Decode(string s)
        {
            for (int i = 0; i < 4; i++)
            {
                if (s.IndexOf('%') < 0) return s;
                for (int k = 0; k < s.Length; k++)
                    if (s[k] == '%' && (k + 2 >= s.Length || !Uri.IsHexDigit(s[k + 1]) || !Uri.IsHexDigit(s[k + 2])))
                        throw new FormatException();
                var next = Uri.UnescapeDataString(s);
                if (next == s) return s;
                s = next;
            }
            return s;
        }

        private static LcException Refuse(string path, string what) =>
            LcException.InvalidInput($"The path '{InputGuard.Printable(path)}' contains {what}; it must be a path under the API base URI, such as 'contacts/abc123'. Nothing was sent.");

        /// <summary>
        /// A request body as JSON text: a string must already be JSON; anything else (dictionaries, lists, values) is written
        /// as JSON. Null means no body. <paramref name="name"/> is what errors call the value ("body", "feedback").
        /// </summary>
        public static string? BodyJson(object? body, string name = "body")
        {
            if (body == null) return null;
            if (body is string s)
            {
                try { using var _ = JsonDocument.Parse(s); }
                catch (JsonException ex) { throw LcException.InvalidInput("The -Body string is not valid JSON: " + ex.Message, ex); }
                return s;
            }
            using var stream = new System.IO.MemoryStream();
            using (var w = new Utf8JsonWriter(stream)) JsonBody.Value(w, body, name);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>
        /// The method and path of a request, checked (<see cref="CheckMethod"/>, <see cref="CheckPath"/>), with no query
        /// and no body yet: add them with <see cref="RawRequest.With"/>. Two steps so a caller can tell a refused path
        /// from a refused body; each check runs once.
        /// </summary>
        public RawRequest Prepare(string method, string path) => new RawRequest(_connection, CheckMethod(method), CheckPath(path), null, null);

        /// <summary>A whole request, checked once: method, path, body (<see cref="BodyJson"/>) and "a GET has no body".</summary>
        public RawRequest Prepare(string method, string path, IEnumerable<KeyValuePair<string, string>>? query, object? body) =>
            Prepare(method, path).With(query, body);

        /// <summary>
        /// Sends one checked request. Returns the answer's JSON text (null when the body is empty) and its value as plain .NET
        /// objects: OrderedDictionary for objects (in wire order), object[] for arrays, string, long, double, bool, null.
        /// </summary>
        public async Task<RawResponse> SendAsync(RawRequest request, LcCall call)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            // The path was checked against this connection's base URI: another connection's request is not sent here.
            if (!ReferenceEquals(request.Connection, _connection)) throw new ArgumentException("The request was prepared for another connection.", nameof(request));
            var answer = await _connection.Client.SendAsync(new HttpMethod(request.Method), request.Path, request.Query, request.Json, call).ConfigureAwait(false);
            if (answer.ValueKind == JsonValueKind.Undefined) return new RawResponse(null, null);
            return new RawResponse(answer.GetRawText(), ToPlain(answer, 0));
        }

        /// <summary>Checks (<see cref="Prepare(string, string, IEnumerable{KeyValuePair{string, string}}?, object?)"/>) and sends one request.</summary>
        public async Task<RawResponse> SendAsync(string method, string path, IEnumerable<KeyValuePair<string, string>>? query, object? body, LcCall call) =>
            await SendAsync(Prepare(method, path, query, body), call).ConfigureAwait(false);

        internal static object? ToPlain(JsonElement e, int depth)
        {
            if (depth > 64) return e.GetRawText();
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var o = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                    foreach (var p in e.EnumerateObject()) o[p.Name] = ToPlain(p.Value, depth + 1); // a repeated name keeps the last value
                    return o;
                case JsonValueKind.Array:
                    var list = new List<object?>();
                    foreach (var item in e.EnumerateArray()) list.Add(ToPlain(item, depth + 1));
                    return list.ToArray();
                case JsonValueKind.String: return e.GetString();
                case JsonValueKind.Number:
                    if (e.TryGetInt32(out var i)) return i;
                    if (e.TryGetInt64(out var l)) return l;
                    return e.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }
    }

    /// <summary>
    /// A raw request whose method, path and body were checked (<see cref="RawOperations.Prepare(string, string)"/>): only
    /// the engine makes one, so <see cref="RawOperations.SendAsync(RawRequest, LcCall)"/> sends it without checking again.
    /// </summary>
    public sealed class RawRequest
    {
        internal RawRequest(Connection connection, string method, string path, IReadOnlyList<KeyValuePair<string, string>>? query, string? json)
        {
            Connection = connection;
            Method = method;
            Path = path;
            Query = query;
            Json = json;
        }

        internal Connection Connection { get; }
        /// <summary>The method, upper case.</summary>
        public string Method { get; }
        /// <summary>The path relative to the connection's base URI (no leading '/').</summary>
        public string Path { get; }
        /// <summary>The query pairs, in order; null when none.</summary>
        public IReadOnlyList<KeyValuePair<string, string>>? Query { get; }
        /// <summary>The body as JSON text; null when none.</summary>
        public string? Json { get; }

        /// <summary>
        /// This request with a query and a body (<see cref="RawOperations.BodyJson"/>: a string must be JSON, other values
        /// are written as JSON); refused when a GET would carry a body.
        /// </summary>
        public RawRequest With(IEnumerable<KeyValuePair<string, string>>? query, object? body)
        {
            var json = RawOperations.BodyJson(body);
            if (json != null && Method == "GET") throw LcException.InvalidInput("A GET request has no body; pass -Query instead.");
            return new RawRequest(Connection, Method, Path, query == null ? null : new List<KeyValuePair<string, string>>(query), json);
        }
    }

    /// <summary>The answer of a raw request: the JSON text and its value as plain .NET objects.</summary>
    public sealed class RawResponse
    {
        public RawResponse(string? text, object? value)
        {
            Text = text;
            Value = value;
        }

        /// <summary>The JSON text of the answer; null when the body was empty.</summary>
        public string? Text { get; }
        /// <summary>OrderedDictionary for objects, object[] for arrays, string, int, long, double, bool, null.</summary>
        public object? Value { get; }
    }
}
