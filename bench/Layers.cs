using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadConnector.Emulator;
using RestSharp;
using RestSharp.Interceptors;

namespace LeadConnector.Bench
{
    /// <summary>
    /// The GETs that overhead_ratio compares, each sending the same request (token, Version, Accept) to the same place:
    /// the engine, a raw HttpClient, and a bare RestClient used the way the engine uses it (the floor RestSharp sets).
    /// </summary>
    internal sealed class Gets
    {
        public const string Id = "conv-a001";
        private readonly HttpClient _raw;
        private readonly RestClient _rest;
        private readonly Uri _uri;

        /// <param name="handler">null: real sockets (a handler configured as the engine's); else an in-memory handler.</param>
        public Gets(Uri baseUri, HttpMessageHandler? handler)
        {
            _uri = new Uri(baseUri, "conversations/" + Id);
            _raw = handler == null ? new HttpClient(NewHandler()) : new HttpClient(handler, disposeHandler: false);
            var http = handler == null ? new HttpClient(NewHandler()) : new HttpClient(handler, disposeHandler: false);
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "bench");
            _rest = new RestClient(http, new RestClientOptions(baseUri) { FollowRedirects = false, Timeout = Timeout.InfiniteTimeSpan, UserAgent = null },
                disposeHttpClient: true) { AcceptedContentTypes = new[] { "application/json" } };
        }

        public static HttpClientHandler NewHandler() => new HttpClientHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };

        /// <summary>The baseline: HttpClient.SendAsync and a JsonDocument of the body.</summary>
        public async Task Raw()
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, _uri);
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
            req.Headers.Add("Version", "2021-07-28");
            req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var resp = await _raw.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
            resp.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsByteArrayAsync());
        }

        /// <summary>RestClient.ExecuteAsync as the engine calls it, and nothing of the engine: the floor under the engine.</summary>
        public async Task Rest()
        {
            var hook = new Hook();
            var req = new RestRequest("conversations/" + Id)
            {
                CompletionOption = HttpCompletionOption.ResponseHeadersRead,
                Timeout = Timeout.InfiniteTimeSpan,
                Interceptors = new List<Interceptor> { hook },
                AdvancedResponseWriter = (m, r) => new RestResponse(r) { StatusCode = m.StatusCode, ResponseStatus = ResponseStatus.Completed },
            };
            var resp = await _rest.ExecuteAsync(req);
            if (hook.Body == null) throw new InvalidOperationException("RestSharp: " + resp.ErrorException?.Message);
            using var doc = JsonDocument.Parse(hook.Body);
        }

        private sealed class Hook : Interceptor
        {
            public byte[]? Body;

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                requestMessage.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Seed.AlphaToken);
                requestMessage.Headers.TryAddWithoutValidation("Version", "2021-07-28");
                return default;
            }

            public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
            {
                responseMessage.EnsureSuccessStatusCode();
                Body = await responseMessage.Content.ReadAsByteArrayAsync(cancellationToken);
            }
        }
    }

    /// <summary>Diagnostics (--only layers, --only client): where a GET's time goes, layer by layer.</summary>
    internal static class Layers
    {
        /// <summary>Over loopback: each layer against the raw baseline, same harness as overhead_ratio.</summary>
        public static async Task LoopbackAsync(EmulatorServer emu, Func<string, string> newLocation, bool quick)
        {
            var gets = new Gets(emu.BaseUri, null);
            var call = new LcCall(CancellationToken.None);
            ConversationOperations Engine(bool pacing) => new ConversationOperations(Connection.Create(new ConnectionOptions
            {
                AccessToken = Seed.AlphaToken, LocationId = newLocation("layer"), BaseUri = emu.BaseUri, Pacing = pacing,
            }));
            var unpaced = Engine(false);
            var paced = Engine(true);
            await CompareAllAsync(quick ? 300 : 1000, quick ? 5 : 9, gets, new (string, Func<Task>)[]
            {
                ("raw HttpClient (itself)", gets.Raw),
                ("RestSharp as the engine uses it", gets.Rest),
                ("engine, no pacing", () => unpaced.GetAsync(Gets.Id, call)),
                ("engine, pacing", () => paced.GetAsync(Gets.Id, call)),
            });
        }

        /// <summary>In memory, no sockets: the client's own CPU per GET.</summary>
        public static async Task InMemoryAsync(HttpMessageHandler handler)
        {
            var baseUri = new Uri("https://bench.example.test/");
            var gets = new Gets(baseUri, handler);
            var call = new LcCall(CancellationToken.None);
            var engine = new ConversationOperations(Connection.Create(new ConnectionOptions
            {
                AccessToken = Seed.AlphaToken, LocationId = "loc-alpha", BaseUri = baseUri, Handler = handler, Pacing = false,
            }));
            await CompareAllAsync(5000, 5, gets, new (string, Func<Task>)[]
            {
                ("RestSharp as the engine uses it", gets.Rest),
                ("engine, no pacing", () => engine.GetAsync(Gets.Id, call)),
            });
        }

        private static async Task CompareAllAsync(int n, int rounds, Gets gets, (string Name, Func<Task> F)[] cases)
        {
            foreach (var (name, f) in cases)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000; i++) await f();
                long alloc = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
                var (c, b) = await Harness.CompareAsync(n, rounds, f, gets.Raw);
                Console.WriteLine($"# {name,-32} {c * 1000,7:0.0} us  raw {b * 1000,7:0.0} us  ratio {c / b:0.00}  ~{alloc} B allocated per call");
            }
        }
    }
}
