using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;
using RestSharp.Interceptors;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The one place that sends HTTP: auth and Version headers, pacing, retries, timeouts,
    /// redaction, and error bodies turned into <see cref="LcException"/>.
    /// </summary>
    internal sealed class LcClient
    {
        /// <summary>Largest body read; anything bigger is refused with a clear error instead of exhausting memory.</summary>
        internal const int MaxBodyBytes = 64 * 1024 * 1024;

        private static readonly string UserAgent = "LeadConnector-PowerShell/" +
            (typeof(LcClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

        private readonly Connection _connection;
        private readonly RestClient _rest;
        private readonly Redactor _redact;
        [ThreadStatic] private static Random? _random;

        internal LcClient(Connection connection, HttpMessageHandler? handler = null)
        {
            _connection = connection;
            _rest = CreateRest(connection.BaseUri, handler);
            _redact = connection.Tokens.Redactor;
            _basePath = connection.BaseUri.AbsolutePath;
        }

        /// <summary>
        /// The pacing gate of this token, host and location. An OAuth connection learns its location from its first
        /// token, so the key is read when needed; the token part is the provider's stable identity, which rotation keeps.
        /// </summary>
        internal RateGate Gate
        {
            get
            {
                // Built once per location, not per request: the location changes at most once (OAuth's first token).
                var location = _connection.LocationId;
                var cached = Volatile.Read(ref _gate);
                if (cached != null && ReferenceEquals(cached.Location, location)) return cached.Gate;
                var gate = RateGate.For(string.Join("|", _connection.Tokens.Identity, _connection.BaseUri.Authority, location ?? "*"));
                Volatile.Write(ref _gate, new GateForLocation(location, gate));
                return gate;
            }
        }

        private sealed class GateForLocation
        {
            public GateForLocation(string? location, RateGate gate) { Location = location; Gate = gate; }
            public string? Location { get; }
            public RateGate Gate { get; }
        }

        private GateForLocation? _gate;
        // The base URI's path; Connection makes it end with '/'.
        private readonly string _basePath;
        /// <summary>The connection's RestClient (tests check its options).</summary>
        internal RestClient Rest => _rest;

        /// <summary>
        /// The connection's one RestClient, created once and reused. Every connection of the process sends over one shared
        /// HttpClient (keep-alive, one connection pool, warm TLS sessions, nothing left behind by a replaced connection),
        /// whose handler we build: redirects and cookies off, decompression on, TLS validation left on. A test may hand in
        /// a handler of its own, which gets an HttpClient of its own. (Letting RestSharp build the handler measured about a
        /// third slower per loopback GET in the benchmark.)
        /// </summary>
        private static RestClient CreateRest(Uri baseUri, HttpMessageHandler? handler)
        {
            var options = new RestClientOptions(baseUri)
            {
                // Stated here too, though the handler below is what enforces them: no redirects, gzip/deflate.
                FollowRedirects = false,
                // The per-attempt timeout is ours (TimeoutSec, linked to the caller's cancellation): RestSharp's 100 s default must never cut in first.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                // The User-Agent is a default header of our HttpClient (CreateHttp), not a RestSharp default parameter:
                // RestSharp matches every header parameter against its content-header set with a culture-aware (ICU)
                // comparer, twice per request, and that was the largest single cost of a GET in the profile.
                UserAgent = null,
                ThrowOnAnyError = false,
            };
            var http = handler == null ? SharedHttp() : CreateHttp(handler);
            // RestSharp writes the Accept header from this list (its default lists XML types too).
            return new RestClient(http, options, disposeHttpClient: handler != null) { AcceptedContentTypes = new[] { ContentType.Json.Value } };
        }

        private static readonly object SharedHttpLock = new object();
        private static HttpClient? _sharedHttp;

        /// <summary>
        /// The HttpClient every connection shares. Created on first use and kept only once created: a failed creation is
        /// not remembered (as a <see cref="Lazy{T}"/> would remember its exception), so it cannot break every later
        /// connection of the process.
        /// </summary>
        private static HttpClient SharedHttp()
        {
            var http = Volatile.Read(ref _sharedHttp);
            if (http != null) return http;
            lock (SharedHttpLock) return _sharedHttp ??= CreateHttp(null);
        }

        private static HttpClient CreateHttp(HttpMessageHandler? handler)
        {
            if (handler == null)
            {
                var h = new HttpClientHandler
                {
                    // A redirect could carry the request elsewhere; the API does not redirect, so a 3xx is an error.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                };
                // Certificate validation is left to the platform and is never switched off.
                if (Platform.IsNetFramework) SetModernTls(p => h.SslProtocols = p);
                handler = h;
            }
            var http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
            return http;
        }

        /// <summary>TLS 1.3 (numeric: .NET Framework before 4.8 has no name for it).</summary>
        internal const SslProtocols Tls13 = (SslProtocols)12288;

        /// <summary>
        /// .NET Framework defaults to the machine's registry settings, which on older Windows can still mean TLS 1.0, so
        /// TLS 1.2 is asked for explicitly, and TLS 1.3 too where the runtime supports it. .NET Framework 4.7.1 and 4.7.2
        /// predate TLS 1.3 and throw NotSupportedException for it: then TLS 1.2 alone. A runtime that lets no protocol be
        /// chosen (PlatformNotSupportedException) keeps its defaults. Returns what was set, or null.
        /// </summary>
        internal static SslProtocols? SetModernTls(Action<SslProtocols> set)
        {
            foreach (var protocols in new[] { SslProtocols.Tls12 | Tls13, SslProtocols.Tls12 })
            {
                try { set(protocols); return protocols; }
                catch (PlatformNotSupportedException) { return null; }
                catch (NotSupportedException) { }
                catch (ArgumentException) { }
            }
            return null;
        }

        /// <summary>
        /// Sends a request and returns the parsed JSON body of a 2xx answer (Undefined when the body is empty).
        /// <paramref name="path"/> is relative to the base URI and built only from validated segments.
        /// </summary>
        public Task<JsonElement> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            string? jsonBody, LcCall call) =>
            SendAsync(method, path, query, jsonBody, call, ParseBody);

        /// <summary>
        /// Sends a request and hands the raw body of a 2xx answer to <paramref name="read"/>, which turns it into the result
        /// without building a JsonDocument first. The body is passed as is (empty or whitespace included); text that cannot
        /// be decoded (invalid UTF-8, a lone surrogate escape) is refused here, before <paramref name="read"/> sees it. A
        /// <see cref="JsonException"/> from <paramref name="read"/> becomes the InvalidResponse "is not valid JSON" error;
        /// an <see cref="LcException"/> passes through.
        /// </summary>
        internal async Task<T> SendAsync<T>(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            string? jsonBody, LcCall call, Func<byte[], T> read)
        {
            var (body, status, shownPath) = await SendCoreAsync(method, path, query, jsonBody == null ? null : new Body(jsonBody, ContentType.Json),
                call, null).ConfigureAwait(false);
            return ReadBody(body, status, method.Method, shownPath, read, quoteBody: true);
        }

        /// <summary>The body as a JsonElement (Undefined when blank), for callers that want the document itself.</summary>
        private static JsonElement ParseBody(byte[] body)
        {
            if (JsonSource.IsBlank(body)) return default;
            // ReadBody has already checked that the text decodes: parse once, without the check.
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }).RootElement;
        }

        private T ReadBody<T>(byte[] body, int status, string method, string path, Func<byte[], T> read, bool quoteBody)
        {
            try
            {
                // Bodies that surely decode go straight to the reader; the rest are checked once, here, for every reader.
                if (!JsonText.SurelyDecodable(body) && !JsonSource.IsBlank(body) && !JsonText.Decodable(body))
                    throw NotJson(body, status, method, path, null, "holds strings that are not valid text", quoteBody);
                return read(body);
            }
            catch (JsonException ex)
            {
                throw NotJson(body, status, method, path, ex, "is not valid JSON", quoteBody);
            }
        }

        /// <summary>
        /// POSTs a form to an OAuth token endpoint: with <paramref name="bearer"/> (the agency token) or no Authorization
        /// at all (the client credentials are in the form), never the connection's own token, and never renewed on a 401.
        /// Neither the request nor the answer is traced: both carry secrets the redactor may not know yet.
        /// </summary>
        internal async Task<TokenGrant> SendTokenRequestAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string? bearer, LcCall call)
        {
            var encoded = new Body(InputGuard.Pairs(form), ContentType.FormUrlEncoded);
            var (body, status, shownPath) = await SendCoreAsync(HttpMethod.Post, path, null, encoded, call, new TokenRequest(bearer)).ConfigureAwait(false);
            // A token answer carries tokens the redactor does not know yet: an error about it never quotes the body.
            return ReadBody(body, status, "POST", shownPath, answer => TokenGrant.Read(answer, path), quoteBody: false);
        }

        private sealed class Body
        {
            public Body(string text, string contentType) { Text = text; ContentType = contentType; }
            public string Text { get; }
            public string ContentType { get; }
        }

        /// <summary>A token-endpoint call: authenticated by <see cref="Bearer"/> (the agency token) or by nothing.</summary>
        private sealed class TokenRequest
        {
            public TokenRequest(string? bearer) { Bearer = bearer; }
            public string? Bearer { get; }
        }

        /// <summary>Sends with pacing, retries and renewal; returns the body, status and shown path of a 2xx answer.</summary>
        private async Task<(byte[] Body, int Status, string Path)> SendCoreAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            Body? body, LcCall call, TokenRequest? tokenEndpoint)
        {
            string? jsonBody = body?.Text;
            bool renewed = false;
            // The query string is built by InputGuard.Query and passed to RestSharp as part of the resource,
            // so it goes out exactly as built (no re-encoding, no reordering).
            var resource = path + (query == null ? "" : InputGuard.Query(query));
            // The path as errors and verbose output show it (escaped, no query). The usual path is built only from validated
            // ids, so it needs no Uri to say how it looks; anything else (Invoke-LcRequest) is shown as Uri escapes it.
            var shownPath = ShownPath(path);
            Uri? uri = null;
            var budget = TimeSpan.FromSeconds(_connection.MaxRetryTimeSec);
            var timeout = TimeSpan.FromSeconds(_connection.TimeoutSec);
            var started = Stopwatch.GetTimestamp();
            bool pacing = _connection.Pacing && tokenEndpoint == null;
            var gate = pacing ? Gate : null!;
            int attempt = 0;

            if (call.HasTrace)
            {
                uri = new Uri(_connection.BaseUri, resource);
                call.Verbose($"{method} {uri.GetLeftPart(UriPartial.Path)}");
            }
            while (true)
            {
                attempt++;
                LcException error;
                FailureKind failure;
                int? status = null;
                TimeSpan? retryAfter = null;
                TimeSpan? interval = null;
                // The token comes before the transport's try: a failure to get one (the token endpoint refused, the
                // refresh-token file could not be written) is its own error, never taken for this request's network error.
                string? bearer;
                try
                {
                    bearer = tokenEndpoint != null ? tokenEndpoint.Bearer : await _connection.Tokens.GetAsync(call).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
                {
                    throw Cancelled(method, shownPath, attempt);
                }
                try
                {
                    // Token-endpoint calls are not paced: they are not API calls, and their headers say nothing of its limit.
                    if (pacing)
                        await gate.WaitAsync(call).ConfigureAwait(false);

                    var reader = new Exchange(method.Method, shownPath, bearer == null ? null : AuthorizationValue(bearer), _connection.ApiVersion);
                    var request = BuildRequest(method, resource, body, reader);
                    bool trace = tokenEndpoint == null && call.Trace != null;
                    if (trace) TraceRequest(method, uri ??= new Uri(_connection.BaseUri, resource), jsonBody, attempt, call);
                    using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
                    attemptCts.CancelAfter(timeout);
                    var sent = Stopwatch.GetTimestamp();
                    var restResponse = await _rest.ExecuteAsync(request, attemptCts.Token).ConfigureAwait(false);
                    // RestSharp hands transport failures back instead of throwing: rethrow the original exception
                    // so that refused connections, timeouts, drops and TLS errors are classified below exactly as before.
                    if (restResponse.ErrorException != null && reader.Response == null)
                        ExceptionDispatchInfo.Capture(restResponse.ErrorException).Throw();
                    var response = reader.Response ?? throw new InvalidOperationException("RestSharp returned no HTTP response.");
                    var responseBody = reader.Body;
                    status = (int)response.StatusCode;
                    retryAfter = RetryAfter(response.Headers);
                    if (pacing) gate.Learn(response.Headers, status.Value, retryAfter);
                    if (trace) TraceResponse(response, responseBody, Elapsed(sent), call);

                    if (status >= 200 && status < 300)
                        return (responseBody, status.Value, shownPath);

                    // A 401 for a token that can be renewed (OAuth): renew it once and send the request once more. The
                    // API refused the request before acting on it, so this is safe for a POST too.
                    if (status == 401 && !renewed && tokenEndpoint == null && _connection.Tokens.CanRenew && bearer != null)
                    {
                        renewed = true;
                        call.Verbose($"The API refused the access token for {method} {shownPath} (HTTP 401): renewing it and sending the request once more.");
                        await _connection.Tokens.RenewAsync(bearer, call).ConfigureAwait(false);
                        attempt--;
                        continue;
                    }

                    if (status == 429 && RateGate.Header(response.Headers, "X-RateLimit-Daily-Remaining") == 0)
                        throw pacing
                            ? gate.DailyLimitError(method.Method, shownPath)
                            : RateGate.DailyLimit(retryAfter, DateTimeOffset.UtcNow, method.Method, shownPath);

                    if (status == 429 && RateGate.Header(response.Headers, "X-RateLimit-Interval-Milliseconds") is int ms && ms > 0)
                        interval = TimeSpan.FromMilliseconds(ms);
                    error = ApiErrors.FromResponse(status.Value, response.ReasonPhrase, responseBody, method.Method, shownPath, _redact,
                        retryAfter == null ? (DateTimeOffset?)null : DateTimeOffset.UtcNow + retryAfter.Value);
                    failure = FailureKind.Status;
                }
                catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
                {
                    throw Cancelled(method, shownPath, attempt);
                }
                catch (OperationCanceledException ex)
                {
                    failure = FailureKind.Timeout;
                    error = new LcException(LcErrorKind.Timeout,
                        $"The request {method} {shownPath} timed out after {_connection.TimeoutSec} s (TimeoutSec).",
                        ex, method: method.Method, path: shownPath);
                }
                catch (LcException)
                {
                    throw;
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is SocketException)
                {
                    failure = Classify(ex);
                    error = NetworkError(ex, failure, method, shownPath);
                }

                if (attempt > _connection.MaxRetries || !RetryPolicy.ShouldRetry(method, failure, status))
                    throw Finish(error, attempt);

                var delay = RetryPolicy.Delay(attempt, _connection.RetryBaseDelay, _connection.RetryMaxDelay, retryAfter, interval, NextRandom());
                if (Elapsed(started) + delay > budget)
                    throw Finish(error, attempt, $" Gave up: waiting {delay.TotalSeconds:0.0} s more would pass the {_connection.MaxRetryTimeSec} s retry budget (MaxRetryTimeSec).");

                if (call.HasTrace) call.Verbose($"Retrying {method} {shownPath}: attempt {attempt + 1} of {_connection.MaxRetries + 1} in {delay.TotalSeconds:0.0} s, after {Reason(error, failure)}.");
                try
                {
                    await Task.Delay(delay, call.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw Cancelled(method, shownPath, attempt);
                }
            }
        }

        /// <summary>"Bearer " + the token, built once per token rather than once per request.</summary>
        private string AuthorizationValue(string token)
        {
            var cached = Volatile.Read(ref _authorization);
            if (cached != null && ReferenceEquals(cached.Token, token)) return cached.Header;
            var fresh = new AuthorizationHeader(token);
            Volatile.Write(ref _authorization, fresh);
            return fresh.Header;
        }

        private sealed class AuthorizationHeader
        {
            public AuthorizationHeader(string token) { Token = token; Header = "Bearer " + token; }
            public string Token { get; }
            public string Header { get; }
        }

        private AuthorizationHeader? _authorization;

        private static TimeSpan Elapsed(long since) =>
            TimeSpan.FromTicks((Stopwatch.GetTimestamp() - since) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

        private string ShownPath(string path)
        {
            bool plain = path.Length > 0 && path[0] != '/';
            foreach (var c in path)
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '/'))
                {
                    plain = false;
                    break;
                }
            return plain ? _basePath + path : new Uri(_connection.BaseUri, path).AbsolutePath;
        }

        private static RestRequest BuildRequest(HttpMethod method, string resource, Body? body, Exchange reader)
        {
            var request = new RestRequest(resource, ToRestMethod(method))
            {
                // Headers only: the body is read by the Exchange, never buffered whole by RestSharp.
                CompletionOption = HttpCompletionOption.ResponseHeadersRead,
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
                Interceptors = new List<Interceptor> { reader },
                AdvancedResponseWriter = (message, req) => new RestResponse(req)
                {
                    StatusCode = message.StatusCode,
                    StatusDescription = message.ReasonPhrase,
                    ResponseStatus = ResponseStatus.Completed,
                    IsSuccessStatusCode = message.IsSuccessStatusCode,
                },
            };
            // Authorization and Version are set on the HttpRequestMessage by the Exchange (see CreateRest for why), Accept
            // by RestSharp from AcceptedContentTypes.
            if (body != null)
                request.AddStringBody(body.Text, body.ContentType);
            return request;
        }

        private static Method ToRestMethod(HttpMethod method)
        {
            switch (method.Method)
            {
                case "GET": return Method.Get;
                case "POST": return Method.Post;
                case "PUT": return Method.Put;
                case "DELETE": return Method.Delete;
                case "PATCH": return Method.Patch;
                default: throw new ArgumentOutOfRangeException(nameof(method), method.Method, "Unsupported HTTP method.");
            }
        }

        /// <summary>
        /// One attempt's exchange, hooked into RestSharp's pipeline. Before sending, it puts the Authorization and Version
        /// headers on the HttpRequestMessage. After, it reads the body while RestSharp still holds the response (headers
        /// read, content not buffered), with the 64 MiB cap and the attempt's cancellation. Failures propagate out of
        /// ExecuteAsync to the caller's classification.
        /// </summary>
        private sealed class Exchange : Interceptor
        {
            private readonly string _method;
            private readonly string _path;
            private readonly string? _authorization;
            private readonly string _version;

            public Exchange(string method, string path, string? authorization, string version)
            {
                _method = method;
                _path = path;
                _authorization = authorization;
                _version = version;
            }

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                var headers = requestMessage.Headers;
                if (_authorization != null) headers.TryAddWithoutValidation("Authorization", _authorization);
                headers.TryAddWithoutValidation("Version", _version);
                return default;
            }

            public HttpResponseMessage? Response { get; private set; }
            public byte[] Body { get; private set; } = Array.Empty<byte>();

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                try
                {
                    Body = await ReadBodyAsync(responseMessage, cancellationToken, _method, _path).ConfigureAwait(false);
                    Response = responseMessage;
                }
                catch
                {
                    // RestSharp disposes the response only when this returns normally.
                    responseMessage.Dispose();
                    throw;
                }
            }
        }

        private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct, string method, string path)
        {
            if (response.Content == null) return Array.Empty<byte>();
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxBodyBytes) throw TooLarge(response, method, path);
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            if (declared == 0) return Array.Empty<byte>();
            // A pooled chunk: a fresh 80 KB array per request was most of the client's own allocation.
            var chunk = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                if (declared is long exact)
                {
                    // The usual case: the length is known, so read straight into a body-sized array.
                    var body = new byte[exact];
                    int read = 0;
                    while (read < body.Length)
                    {
                        int n = await stream.ReadAsync(body, read, body.Length - read, ct).ConfigureAwait(false);
                        if (n == 0) throw new IOException($"The connection closed after {read} of {exact} body bytes.");
                        read += n;
                    }
                    // More than declared is not expected; read on (capped) so a lying length cannot hide a body.
                    int extra = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false);
                    if (extra == 0) return body;
                    using var more = new MemoryStream();
                    more.Write(body, 0, body.Length);
                    more.Write(chunk, 0, extra);
                    return await ReadRestAsync(stream, more, chunk, response, ct, method, path).ConfigureAwait(false);
                }
                using var buffer = new MemoryStream();
                return await ReadRestAsync(stream, buffer, chunk, response, ct, method, path).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        private static async Task<byte[]> ReadRestAsync(Stream stream, MemoryStream buffer, byte[] chunk, HttpResponseMessage response,
            CancellationToken ct, string method, string path)
        {
            if (buffer.Length > MaxBodyBytes) throw TooLarge(response, method, path);
            while (true)
            {
                int n = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > MaxBodyBytes) throw TooLarge(response, method, path);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }

        private static LcException TooLarge(HttpResponseMessage response, string method, string path) =>
            new LcException(LcErrorKind.InvalidResponse,
                $"The API answered {ApiErrors.StatusText((int)response.StatusCode, response.ReasonPhrase)} with a body larger than {MaxBodyBytes / (1024 * 1024)} MiB; it was not read ({method} {path}).",
                statusCode: (int)response.StatusCode, method: method, path: path);

        private LcException NotJson(byte[] body, int status, string method, string path, Exception? inner, string what, bool quoteBody)
        {
            var snippet = quoteBody ? ApiErrors.Snippet(body, _redact) : null;
            var shown = quoteBody ? $": '{snippet}'" : $" ({body.Length} bytes, not shown: a token answer)";
            return new LcException(LcErrorKind.InvalidResponse,
                $"The API answered {ApiErrors.StatusText(status, null)} but the body {what}{shown} ({method} {path}).",
                inner, status, method: method, path: path, bodySnippet: snippet);
        }

        internal static TimeSpan? RetryAfter(HttpResponseHeaders headers)
        {
#if NET8_0_OR_GREATER
            // Most answers have none: skip the typed parse (and its allocations) then.
            if (!headers.NonValidated.Contains("Retry-After")) return null;
#endif
            try
            {
                var ra = headers.RetryAfter;
                if (ra?.Delta is TimeSpan d) return d < TimeSpan.Zero ? TimeSpan.Zero : d;
                if (ra?.Date is DateTimeOffset date)
                {
                    var wait = date - DateTimeOffset.UtcNow;
                    return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                }
            }
            catch (FormatException) { }
            if (headers.TryGetValues("Retry-After", out var raw) &&
                double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) &&
                secs >= 0 && secs < 86400 * 2)
                return TimeSpan.FromSeconds(secs);
            return null;
        }

        internal static FailureKind Classify(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException) return FailureKind.Tls;
                if (e is SocketException se && se.SocketErrorCode == SocketError.ConnectionRefused) return FailureKind.ConnectionRefused;
                if (e is WebException we && we.Status == WebExceptionStatus.ConnectFailure) return FailureKind.ConnectionRefused;
            }
            return FailureKind.Network;
        }

        private LcException NetworkError(Exception ex, FailureKind failure, HttpMethod method, string path)
        {
            var root = ex;
            while (root.InnerException != null) root = root.InnerException;
            var detail = _redact.Apply(root.Message);
            string text = failure == FailureKind.Tls
                ? $"TLS failed for {_connection.BaseUri.Host}: {detail} Certificate errors are never ignored ({method} {path})."
                : failure == FailureKind.ConnectionRefused
                    ? $"The connection to {_connection.BaseUri.Authority} was refused ({method} {path}): {detail}"
                    : $"The connection broke during {method} {path}: {detail}";
            return new LcException(LcErrorKind.Network, text, ex, method: method.Method, path: path);
        }

        private static LcException Cancelled(HttpMethod method, string path, int attempts) =>
            new LcException(LcErrorKind.Cancelled, $"The request {method} {path} was cancelled.", method: method.Method, path: path, attempts: attempts);

        private static LcException Finish(LcException error, int attempts, string? extra = null)
        {
            if (attempts <= 1 && extra == null) return error.WithAttempts(attempts);
            var text = error.Message + (attempts > 1 ? $" (after {attempts} attempts)" : "") + (extra ?? "");
            return new LcException(error.Kind, text, error.InnerException, error.StatusCode, error.Messages, error.TraceId,
                error.Method, error.Path, error.BodySnippet, error.RetryAt, attempts);
        }

        private static string Reason(LcException error, FailureKind failure) =>
            failure == FailureKind.Status ? ApiErrors.StatusText(error.StatusCode ?? 0, null)
            : failure == FailureKind.Timeout ? "a timeout"
            : failure == FailureKind.ConnectionRefused ? "a refused connection"
            : "a network error";

        private static double NextRandom() => (_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();

        private void TraceRequest(HttpMethod method, Uri uri, string? body, int attempt, LcCall call)
        {
            if (call.Trace == null) return;
            var sb = new StringBuilder();
            sb.Append($"HTTP request (attempt {attempt}): {method} {uri}");
            sb.Append("\n  Authorization: Bearer ***");
            sb.Append($"\n  Version: {_connection.ApiVersion}");
            if (body != null) sb.Append($"\n  Body ({Encoding.UTF8.GetByteCount(body)} bytes): {Truncate(_redact.Apply(body), 500)}");
            call.Debug(_redact.Apply(sb.ToString()));
        }

        private void TraceResponse(HttpResponseMessage response, byte[] body, TimeSpan elapsed, LcCall call)
        {
            if (call.Trace == null) return;
            var sb = new StringBuilder();
            sb.Append($"HTTP response: {ApiErrors.StatusText((int)response.StatusCode, response.ReasonPhrase)} in {elapsed.TotalMilliseconds:0} ms, {body.Length} bytes");
            foreach (var h in new[] { "X-RateLimit-Remaining", "X-RateLimit-Max", "X-RateLimit-Interval-Milliseconds", "X-RateLimit-Daily-Remaining", "Retry-After" })
                if (response.Headers.TryGetValues(h, out var v)) sb.Append($"\n  {h}: {Truncate(string.Join(",", v), 40)}");
            sb.Append($"\n  Body: {ApiErrors.Snippet(body, _redact, 500)}");
            call.Debug(_redact.Apply(sb.ToString()));
        }

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "…";
    }
}
