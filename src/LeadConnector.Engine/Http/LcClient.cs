using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The one place that sends HTTP. For each request it runs the attempts: the token (renewed once after a 401), the
    /// pacing gate, one exchange over the <see cref="RestTransport"/>, the <see cref="ResponseClassifier"/>'s verdict on
    /// what came back and the <see cref="RetryPolicy"/>'s on what to do next, with the verbose and debug trace.
    /// </summary>
    internal sealed class LcClient
    {
        private readonly ConnectionSettings _settings;
        private readonly RestTransport _transport;
        private readonly Redactor _redact;
        private readonly TimeProvider _time;
        private readonly TokenProvider? _tokens;
        private readonly RateGates? _gates;
        private readonly string _gateKey;
        private readonly RetryPolicy _retry;
        private readonly ResponseClassifier _classify;
        private readonly TimeSpan _timeout;
        // The base URI's path; it ends with '/'.
        private readonly string _basePath;
        private AuthorizationHeader? _authorization;

        /// <summary>
        /// A client over <paramref name="transport"/>. With <paramref name="tokens"/>, an API client, paced by
        /// <paramref name="gates"/> (null: no pacing); without, a token endpoint's client (<see cref="SendTokenRequestAsync"/> only).
        /// </summary>
        internal LcClient(ConnectionSettings settings, RestTransport transport, Redactor redact, TimeProvider time,
            TokenProvider? tokens = null, RateGates? gates = null)
        {
            _settings = settings;
            _transport = transport;
            _redact = redact;
            _time = time;
            _tokens = tokens;
            _gates = tokens == null ? null : gates;
            // The token part is the provider's stable identity, which rotation keeps.
            _gateKey = string.Join("|", tokens?.Identity, settings.BaseUri.Authority, settings.LocationId ?? "*");
            _retry = new RetryPolicy(settings.MaxRetries, TimeSpan.FromSeconds(settings.MaxRetryTimeSec), settings.RetryBaseDelay, settings.RetryMaxDelay);
            _classify = new ResponseClassifier(redact, time, settings.BaseUri, settings.TimeoutSec);
            _timeout = TimeSpan.FromSeconds(settings.TimeoutSec);
            _basePath = settings.BaseUri.AbsolutePath;
        }

        /// <summary>
        /// The pacing gate of this token, host and location, looked up for every request: a gate the registry forgot
        /// while idle is never used again.
        /// </summary>
        internal RateGate Gate => (_gates ?? throw new InvalidOperationException("This client is not paced.")).For(_gateKey);

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
        /// be decoded (invalid UTF-8, a lone surrogate escape) is refused before <paramref name="read"/> sees it. A
        /// <see cref="JsonException"/> from <paramref name="read"/> becomes the InvalidResponse "is not valid JSON" error;
        /// an <see cref="LcException"/> passes through.
        /// </summary>
        internal Task<T> SendAsync<T>(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            string? jsonBody, LcCall call, Func<byte[], T> read) =>
            SendAsync(method, path, query, jsonBody == null ? null : new RequestBody(jsonBody, ContentType.Json), call, read);

        /// <summary>The same with any body: JSON, or multipart/form-data (<see cref="RequestBody.Multipart"/>).</summary>
        internal async Task<T> SendAsync<T>(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query,
            RequestBody? body, LcCall call, Func<byte[], T> read)
        {
            // The query string is built by InputGuard.Query and goes out exactly as built (no re-encoding, no reordering).
            var request = new Outgoing(method, path + (query == null ? "" : InputGuard.Query(query)), body, ShownPath(path));
            var answer = await SendCoreAsync(request, call).ConfigureAwait(false);
            return _classify.Read(answer.Body, answer.Status, method.Method, request.ShownPath, read, quoteBody: true);
        }

        /// <summary>
        /// GETs <paramref name="path"/> with the same token, pacing, retries and errors as every request, but streams a 2xx
        /// body to <paramref name="sink"/> instead of reading it whole (so the body cap does not apply). The sink is
        /// called once per attempt that got a 2xx answer; a retried attempt starts it over.
        /// </summary>
        internal async Task<Answer> DownloadAsync(string path, LcCall call, DownloadSink sink)
        {
            var request = new Outgoing(HttpMethod.Get, path, null, ShownPath(path));
            return await SendCoreAsync(request, call, sink).ConfigureAwait(false);
        }

        /// <summary>The body as a JsonElement (Undefined when blank), for callers that want the document itself.</summary>
        private static JsonElement ParseBody(byte[] body)
        {
            if (JsonSource.IsBlank(body)) return default;
            // The classifier has already checked that the text decodes: parse once, without the check.
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }).RootElement;
        }

        /// <summary>
        /// POSTs a form to an OAuth token endpoint and reads its grant: with <paramref name="bearer"/> (the agency token)
        /// or no Authorization at all (the client credentials are in the form), never the connection's own token, never
        /// paced and never renewed on a 401. Neither the request nor the answer is traced, and an error about the answer
        /// never quotes it: both carry secrets the redactor may not know yet.
        /// </summary>
        internal async Task<TokenGrant> SendTokenRequestAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string? bearer, LcCall call)
        {
            var request = new Outgoing(HttpMethod.Post, path, new RequestBody(InputGuard.Pairs(form), ContentType.FormUrlEncoded), ShownPath(path),
                forTokenEndpoint: true, bearer: bearer);
            var answer = await SendCoreAsync(request, call).ConfigureAwait(false);
            return _classify.Read(answer.Body, answer.Status, "POST", request.ShownPath, body => TokenGrant.Read(body, path), quoteBody: false);
        }

        /// <summary>Sends with pacing, retries and renewal; returns the 2xx answer.</summary>
        private async Task<Answer> SendCoreAsync(Outgoing request, LcCall call, DownloadSink? sink = null)
        {
            var method = request.Method.Method;
            var path = request.ShownPath;
            var api = !request.ForTokenEndpoint;
            var started = _time.GetTimestamp();
            bool renewed = false;
            int attempt = 0;
            Uri? uri = null;
            if (call.HasTrace)
            {
                uri = new Uri(_settings.BaseUri, request.Resource);
                call.Verbose($"{method} {uri.GetLeftPart(UriPartial.Path)}");
            }
            while (true)
            {
                attempt++;
                // The token comes before the transport's try: a failure to get one (the token endpoint refused, the
                // refresh-token file could not be written) is its own error, never taken for this request's network error.
                string? bearer;
                try
                {
                    bearer = api ? await Tokens.GetAsync(call).ConfigureAwait(false) : request.Bearer;
                }
                catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
                {
                    throw ResponseClassifier.Cancelled(method, path, attempt);
                }
                Failure failure;
                try
                {
                    // Token requests are not paced: they are not API calls, and their headers say nothing of its limit.
                    // Looked up once per attempt: the same gate waits and then learns from the answer.
                    var gate = api && _gates != null ? Gate : null;
                    var sentAt = gate != null ? await gate.WaitAsync(call).ConfigureAwait(false) : 0;
                    bool trace = api && call.Trace != null;
                    if (trace) HttpTrace.Request(call, _redact, method, uri ??= new Uri(_settings.BaseUri, request.Resource), _settings.ApiVersion, request.Body?.Text, attempt);
                    var sent = _time.GetTimestamp();
                    Answer answer;
                    using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken))
                    {
                        attemptCts.CancelAfter(_timeout);
                        // call.Blocks: the caller blocks on this thread, which the call has not left (no pacing wait, no
                        // retry delay): the exchange may wait for the network right here.
                        answer = await _transport.SendAsync(request.Method, request.Resource, request.Body,
                            bearer == null ? null : AuthorizationValue(bearer), _settings.ApiVersion, path, attemptCts.Token, sink, call.Blocks).ConfigureAwait(false);
                    }
                    var retryAfter = _classify.RetryAfter(answer.Headers);
                    gate?.Learn(answer.Headers, answer.Status, retryAfter, sentAt);
                    if (trace) HttpTrace.Response(call, _redact, answer, _time.GetElapsedTime(sent));

                    var failed = _classify.Classify(answer, retryAfter, method, path, gate?.Daily);
                    if (failed == null) return answer;

                    // A 401 for a token that can be renewed (OAuth): renew it once and send the request once more. The
                    // API refused the request before acting on it, so this is safe for a POST too.
                    if (failed.Status == 401 && !renewed && api && Tokens.CanRenew && bearer != null)
                    {
                        renewed = true;
                        call.Verbose($"The API refused the access token for {method} {path} (HTTP 401): renewing it and sending the request once more.");
                        await Tokens.RenewAsync(bearer, call).ConfigureAwait(false);
                        attempt--;
                        continue;
                    }
                    failure = failed;
                }
                catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
                {
                    throw ResponseClassifier.Cancelled(method, path, attempt);
                }
                catch (LcException)
                {
                    throw;
                }
                catch (Exception ex) when (_classify.FromException(ex, method, path) is Failure f)
                {
                    failure = f;
                }

                var giveUp = _retry.Decide(request.Method, attempt, failure, _time.GetElapsedTime(started), out var delay);
                if (giveUp != null) throw giveUp;
                if (call.HasTrace) call.Verbose($"Retrying {method} {path}: attempt {attempt + 1} of {_retry.MaxRetries + 1} in {delay.TotalSeconds:0.0} s, after {failure.Reason}.");
                try
                {
                    await _time.DelayAsync(delay, call.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw ResponseClassifier.Cancelled(method, path, attempt);
                }
            }
        }

        private TokenProvider Tokens => _tokens ?? throw new InvalidOperationException("A token endpoint's client sends token requests only.");

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

        /// <summary>
        /// The path as errors and verbose output show it (escaped, no query). The usual path is built only from validated
        /// ids, so it needs no Uri to say how it looks; anything else (Invoke-LcRequest) is shown as Uri escapes it.
        /// </summary>
        private string ShownPath(string path)
        {
            bool plain = path.Length > 0 && path[0] != '/';
            foreach (var c in path)
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '/'))
                {
                    plain = false;
                    break;
                }
            return plain ? _basePath + path : new Uri(_settings.BaseUri, path).AbsolutePath;
        }
    }
}
