using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadConnector.Emulator;
using RestSharp;
using RestSharp.Interceptors;
using LeadConnector.Engine;

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
                AccessToken = Seed.AlphaToken, LocationId = newLocation("layer"), BaseUri = emu.BaseUri,
            }, new EngineServices(pacing: pacing)));
            var unpaced = Engine(false);
            // The engine's own transport (the shared HttpClient, its handlers, the exchange and body reader), with and
            // without the per-attempt timeout's linked CancellationTokenSource: where the engine's cost over RestSharp is.
            var transport = new RestTransport(emu.BaseUri);
            async Task Transport(bool timeout)
            {
                using var cts = timeout ? CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None) : null;
                cts?.CancelAfter(TimeSpan.FromSeconds(100));
                var answer = await transport.SendAsync(HttpMethod.Get, "conversations/" + Gets.Id, null, "Bearer " + Seed.AlphaToken, "2021-07-28",
                    "/conversations/" + Gets.Id, cts?.Token ?? CancellationToken.None);
                using var doc = JsonDocument.Parse(answer.Body);
            }
            var paced = Engine(true);
            await CompareAllAsync(25, quick ? 50 : 150, gets, new (string, Func<Task>)[]
            {
                ("raw HttpClient (against itself)", gets.Raw),
                ("RestSharp as the engine uses it", gets.Rest),
                ("engine transport", () => Transport(false)),
                ("engine transport, timeout", () => Transport(true)),
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
                AccessToken = Seed.AlphaToken, LocationId = "loc-alpha", BaseUri = baseUri,
            }, new EngineServices(handler: handler, pacing: false)));
            await CompareAllAsync(1000, 5, gets, new (string, Func<Task>)[]
            {
                ("RestSharp as the engine uses it", gets.Rest),
                ("engine, no pacing", () => engine.GetAsync(Gets.Id, call)),
            }, inMemory: true);
        }

        public static async Task SpreadAsync(Uri baseUri, Func<string, string> newLocation)
        {
            var gets = new Gets(baseUri, null);
            var ops = new ConversationOperations(Connection.Create(new ConnectionOptions { AccessToken = Seed.AlphaToken, LocationId = newLocation("spread"), BaseUri = baseUri }));
            var call = new LcCall(CancellationToken.None);
            for (int rep = 0; rep < 2; rep++)
                foreach (var (name, f) in new (string, Func<Task>)[] { ("raw", gets.Raw), ("restsharp", gets.Rest), ("engine", () => ops.GetAsync(Gets.Id, call)) })
                {
                    var t = new List<double>();
                    var w = System.Diagnostics.Stopwatch.StartNew();
                    while (w.Elapsed < TimeSpan.FromSeconds(4))
                    {
                        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                        await f();
                        t.Add((System.Diagnostics.Stopwatch.GetTimestamp() - t0) * 1e6 / System.Diagnostics.Stopwatch.Frequency);
                    }
                    t.Sort();
                    string P(double q) => t[(int)(q * (t.Count - 1))].ToString("0");
                    Console.WriteLine($"# {name,-9} n={t.Count} us: p10 {P(0.1)} p25 {P(0.25)} p50 {P(0.5)} p75 {P(0.75)} p90 {P(0.9)} mean {t.Average():0}");
                }
        }

        private static async Task CompareAllAsync(int n, int rounds, Gets gets, (string Name, Func<Task> F)[] cases, bool inMemory = false)
        {
            foreach (var (name, f) in cases)
            {
                // Allocation per call on this thread: meaningful in memory, where the whole call runs on it.
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000; i++) await f();
                long alloc = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
                await Harness.WarmUpAllAsync(2, f, gets.Raw);
                var (ratio, c, b, all) = await Harness.RatioAsync(n, rounds, 3, f, gets.Raw);
                Console.WriteLine($"# {name,-32} {c * 1000,7:0.0} us  raw {b * 1000,7:0.0} us  ratio {ratio:0.00} ({string.Join(", ", all.Select(r => r.ToString("0.00")))})" +
                                  (inMemory ? $"  ~{alloc} B allocated per call" : ""));
            }
        }
    }
}

namespace LeadConnector.Bench
{
    /// <summary>
    /// The emulator in a child process of its own, for the per-request figures: the client under test then has the
    /// process, its thread pool and its GC to itself, as it would against the real API, instead of sharing them with the
    /// server (in one process a pool thread that has just written the response could run the client's continuation too,
    /// and the figures flipped between two modes, 25 and 90 us a GET, with no change in the code).
    /// </summary>
    internal sealed class EmulatorChild : IDisposable
    {
        public const string Flag = "--emulator-child";
        private readonly System.Diagnostics.Process _process;

        public Uri BaseUri { get; }

        private EmulatorChild(System.Diagnostics.Process process, Uri baseUri)
        {
            _process = process;
            BaseUri = baseUri;
        }

        public static EmulatorChild Start()
        {
            var self = Environment.ProcessPath!;
            var psi = new System.Diagnostics.ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            psi.FileName = self;
            if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
                psi.ArgumentList.Add(typeof(EmulatorChild).Assembly.Location);
            psi.ArgumentList.Add(Flag);
            var p = System.Diagnostics.Process.Start(psi)!;
            var line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The emulator child did not start.");
            return new EmulatorChild(p, new Uri(line.Trim()));
        }

        /// <summary>The child: start the emulator with the limits out of the way, print its URI, serve until stdin closes.</summary>
        public static async Task<int> RunAsync()
        {
            await using var emu = await EmulatorServer.StartAsync();
            emu.State.RateLimit.Max = 100_000;
            emu.State.RateLimit.IntervalMs = 1_000;
            emu.State.RateLimit.DailyLimit = int.MaxValue;
            Console.WriteLine(emu.BaseUri);
            // Keep the request log from growing without bound over millions of requests.
            using var trim = new Timer(_ => emu.State.Requests.Clear(), null, 1000, 1000);
            await Console.In.ReadToEndAsync();
            return 0;
        }

        public void Dispose()
        {
            try { _process.StandardInput.Close(); } catch (IOException) { }
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
