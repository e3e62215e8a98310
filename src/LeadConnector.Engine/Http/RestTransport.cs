using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;
using RestSharp.Interceptors;

namespace LeadConnector.Engine
{
    /// <summary>
    /// One attempt over the network, and nothing more: the connection's one RestClient sends the request with the
    /// Authorization and Version headers and hands back the status, headers and whole body (<see cref="Answer"/>).
    /// Transport failures (refused, reset, timed out, TLS) are thrown as they came; deciding what they mean is the
    /// classifier's job, and whether to try again the retry policy's.
    /// </summary>
    internal sealed class RestTransport
    {
        private static readonly string UserAgent = "LeadConnector-PowerShell/" +
            (typeof(RestTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

        private readonly RestClient _rest;
        // The shared HttpClient sends through a BlockingSendHandler; a test's own handler does not.
        private readonly bool _canBlock;

        /// <param name="baseUri">The API's base URI (ends with '/').</param>
        /// <param name="handler">The network, for tests (fuzzing the response handling without sockets); null: the shared HttpClient.</param>
        public RestTransport(Uri baseUri, HttpMessageHandler? handler = null)
        {
            var http = handler == null ? SharedHttp() : CreateHttp(handler);
            _canBlock = handler == null && BlockingSendHandler.Supported;
            // RestSharp writes the Accept header from this list (its default lists XML types too).
            _rest = new RestClient(http, Options(baseUri), disposeHttpClient: handler != null) { AcceptedContentTypes = new[] { ContentType.Json.Value } };
        }

        /// <summary>
        /// The RestClient's options. Every connection of the process sends over one shared HttpClient (keep-alive, one
        /// connection pool, warm TLS sessions, nothing left behind by a replaced connection), whose handler we build:
        /// redirects and cookies off, decompression on, TLS validation left on. A test may hand in a handler of its own,
        /// which gets an HttpClient of its own. (Letting RestSharp build the handler measured about a third slower per
        /// loopback GET in the benchmark.)
        /// </summary>
        internal static RestClientOptions Options(Uri baseUri) => new RestClientOptions(baseUri)
        {
            // Stated here too, though the handler below is what enforces them: no redirects, gzip/deflate.
            FollowRedirects = false,
            // The per-attempt timeout is ours (TimeoutSec, linked to the caller's cancellation): RestSharp's 100 s default must never cut in first.
            Timeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            // The User-Agent is a default header of our HttpClient (CreateHttp), not a RestSharp default parameter:
            // RestSharp matches every header parameter against its content-header set with a culture-aware (ICU)
            // comparer, twice per request, and that was the largest single cost of a GET in the profile.
            UserAgent = null,
            ThrowOnAnyError = false,
        };

        /// <summary>
        /// Sends one request and reads its whole answer (at most <see cref="BodyReader.MaxBodyBytes"/>).
        /// <paramref name="resource"/> is relative to the base URI and goes out exactly as built (the query included: no
        /// re-encoding, no reordering); <paramref name="shownPath"/> names the request in errors.
        /// </summary>
        /// <param name="sink">A download (<see cref="DownloadSink"/>): a 2xx body goes to it, streamed, instead of being read whole.</param>
        /// <param name="blocking">
        /// The caller blocks on this request on the current thread (<see cref="LcCall.Blocks"/>): send it and read the
        /// answer synchronously here (<see cref="BlockingSendHandler"/>). Not for downloads or file uploads, which stay
        /// asynchronous, nor where the platform has no synchronous path.
        /// </param>
        public async Task<Answer> SendAsync(HttpMethod method, string resource, RequestBody? body, string? authorization, string version,
            string shownPath, CancellationToken cancellationToken, DownloadSink? sink = null, bool blocking = false)
        {
            int blockingThread = blocking && _canBlock && sink == null && body?.Files == null ? Environment.CurrentManagedThreadId : 0;
            var exchange = new Exchange(method.Method, shownPath, authorization, version, sink, blockingThread);
            var response = await _rest.ExecuteAsync(BuildRequest(method, resource, body, exchange), cancellationToken).ConfigureAwait(false);
            // RestSharp hands transport failures back instead of throwing: rethrow the original exception, so that refused
            // connections, timeouts, drops and TLS errors reach the classifier as they came.
            if (response.ErrorException != null && exchange.Response == null)
                ExceptionDispatchInfo.Capture(response.ErrorException).Throw();
            return new Answer(exchange.Response ?? throw new InvalidOperationException("RestSharp returned no HTTP response."), exchange.Body);
        }

        private static readonly object SharedHttpLock = new object();
        private static HttpClient? _sharedHttp;

        /// <summary>
        /// The HttpClient every connection shares. Created on first use and kept only once created: a failed creation is
        /// not remembered (as a <see cref="Lazy{T}"/> would remember its exception), so it cannot break every later
        /// connection of the process.
        /// </summary>
        internal static HttpClient SharedHttp()
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
                handler = new BlockingSendHandler(h, h.AutomaticDecompression);
            }
            var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
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

        private static RestRequest BuildRequest(HttpMethod method, string resource, RequestBody? body, Exchange exchange)
        {
            var request = new RestRequest(resource, ToRestMethod(method))
            {
                // Headers only: the body is read by the Exchange, never buffered whole by RestSharp.
                CompletionOption = HttpCompletionOption.ResponseHeadersRead,
                Timeout = Timeout.InfiniteTimeSpan,
                Interceptors = new List<Interceptor> { exchange },
                AdvancedResponseWriter = (message, req) => new RestResponse(req)
                {
                    StatusCode = message.StatusCode,
                    StatusDescription = message.ReasonPhrase,
                    ResponseStatus = ResponseStatus.Completed,
                    IsSuccessStatusCode = message.IsSuccessStatusCode,
                },
            };
            // Authorization and Version are set on the HttpRequestMessage by the Exchange (see Options for why), Accept
            // by RestSharp from AcceptedContentTypes.
            if (body?.Files != null)
            {
                // multipart/form-data, written by RestSharp: fields as form parameters, each file streamed from its source.
                request.AlwaysMultipartFormData = true;
                foreach (var field in body.Fields!)
                    request.AddParameter(new GetOrPostParameter(field.Key, field.Value));
                foreach (var file in body.Files)
                    request.AddFile(file.Name, file.Open, file.FileName, file.ContentType);
            }
            else if (body != null)
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
        /// read, content not buffered), with the size cap and the attempt's cancellation. Failures propagate out of
        /// ExecuteAsync.
        /// </summary>
        private sealed class Exchange : Interceptor
        {
            private readonly string _method;
            private readonly string _path;
            private readonly string? _authorization;
            private readonly string _version;
            private readonly DownloadSink? _sink;
            // The thread that blocks on this exchange and may wait for the network itself; 0: none.
            private readonly int _blockingThread;

            public Exchange(string method, string path, string? authorization, string version, DownloadSink? sink, int blockingThread)
            {
                _method = method;
                _path = path;
                _authorization = authorization;
                _version = version;
                _sink = sink;
                _blockingThread = blockingThread;
            }

            private bool OnBlockingThread => _blockingThread != 0 && _blockingThread == Environment.CurrentManagedThreadId;

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                var headers = requestMessage.Headers;
                if (_authorization != null) headers.TryAddWithoutValidation("Authorization", _authorization);
                headers.TryAddWithoutValidation("Version", _version);
                if (OnBlockingThread) BlockingSendHandler.Ask(requestMessage);
                return default;
            }

            public HttpResponseMessage? Response { get; private set; }
            public byte[] Body { get; private set; } = Array.Empty<byte>();

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                try
                {
                    // A download's 2xx body streams to its sink (no cap: it is never held); an error body is read as always.
                    if (_sink != null && responseMessage.IsSuccessStatusCode) await _sink.WriteAsync(responseMessage, cancellationToken).ConfigureAwait(false);
                    // Sent synchronously and still on that thread: read the answer the same way.
                    else if (OnBlockingThread) Body = BodyReader.Read(responseMessage, cancellationToken, _method, _path);
                    else Body = await BodyReader.ReadAsync(responseMessage, cancellationToken, _method, _path).ConfigureAwait(false);
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
    }
}
