using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using LeadConnector;
using LeadConnector.Bench;
using LeadConnector.Emulator;

// The LeadConnector benchmark. Every figure is a ratio against a baseline measured in the same run, against the emulator
// over loopback, so figures compare between machines and commits. Lines "name=value" are for machines; lines starting
// with '#' are for people.
//   dotnet run -c Release --project bench -- [--quick] [--only <figure>]

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == StreamChild.Flag) return StreamChild.Run(args);
if (args.Length > 0 && args[0] == EmulatorChild.Flag) return await EmulatorChild.RunAsync();

bool quick = args.Contains("--quick");
// --only <name>: one figure (overhead, read, ratelimit, concurrency, irm, stream, import), or a diagnostic (layers, client, spread).
var onlyAt = Array.IndexOf(args, "--only");
string? only = onlyAt >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1] : null;
string[] known = { "overhead", "read", "ratelimit", "concurrency", "irm", "stream", "import", "layers", "client", "spread" };
known = known.Concat(new[] { "bulk", "sweep" }).ToArray(); // the pacing figures (bench/PacingFigures.cs)
if (onlyAt >= 0 && (only == null || !known.Contains(only)))
{
    Console.Error.WriteLine($"--only takes one of: {string.Join(", ", known)}.");
    return 2;
}
bool Want(string name) => only == null || only == name;
var manifest = Assembly.GetEntryAssembly()!.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LcModuleManifest").Value!;
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The built module is missing: {manifest}. Build with: dotnet build src/LeadConnector -c Release");
    return 2;
}
var total = Stopwatch.StartNew();
Console.WriteLine($"# LeadConnector benchmark ({(quick ? "quick" : "full")}) on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"# module: {manifest}");

await using var emu = await EmulatorServer.StartAsync();
Console.WriteLine($"# emulator: {emu.BaseUri}");

void HighLimit()
{
    emu.State.Faults.Clear();
    emu.State.RateLimit.Max = 100_000;
    emu.State.RateLimit.IntervalMs = 1_000;
    emu.State.RateLimit.DailyLimit = int.MaxValue; // the overhead figures send far more than the default 200,000 a day
}

string NewLocation(string what) => $"loc-alpha-bench-{what}-{Guid.NewGuid():N}"[..40];

HighLimit();

// ---------------------------------------------------------------- overhead_ratio: a GET through the engine vs raw HttpClient
if (Want("overhead"))
{
    // Blocks of 25 calls, ABBA, many rounds: loopback latency on a small VM flips between modes (about 30 and 90 us a GET)
    // every few seconds, whatever the code; short interleaved blocks give both sides the same mix of modes.
    int n = 25, rounds = quick ? 50 : 150;
    double warmSeconds = quick ? 6 : 10;
    async Task MeasureAsync(Uri baseUri, string suffix)
    {
        var gets = new Gets(baseUri, null);
        var ops = new ConversationOperations(Connection.Create(new ConnectionOptions { AccessToken = Seed.AlphaToken, LocationId = NewLocation("get"), BaseUri = baseUri }));
        var call = new LcCall(CancellationToken.None);
        Task Engine() => ops.GetAsync(Gets.Id, call);
        await Harness.WarmUpAllAsync(warmSeconds, Engine, gets.Rest, gets.Raw);
        string All(double[] ratios) => string.Join(", ", ratios.Select(r => r.ToString("0.00")));
        var (ratio, engine, raw, all) = await Harness.RatioAsync(n, rounds, 3, Engine, gets.Raw);
        Console.WriteLine($"# GET /conversations/{{id}}: engine {engine * 1000:0.0} us, raw HttpClient {raw * 1000:0.0} us per request " +
                          $"(median of 3 comparisons of {2 * n * rounds} calls a side: {All(all)})");
        Console.WriteLine($"overhead_ratio{suffix}={ratio:0.00}");
        // The floor under it: RestSharp (the transport) used exactly as the engine uses it, with nothing of the engine
        // (no pacing, retries, errors, typed reading), against the same baseline; then the engine against that floor.
        var (floor, rest, raw2, allFloor) = await Harness.RatioAsync(n, rounds, 3, gets.Rest, gets.Raw);
        Console.WriteLine($"# the same GET through a bare RestClient: {rest * 1000:0.0} us, raw HttpClient {raw2 * 1000:0.0} us ({All(allFloor)})");
        Console.WriteLine($"restsharp_floor_ratio{suffix}={floor:0.00}");
        var (own, engine3, rest3, allOwn) = await Harness.RatioAsync(n, rounds, 3, Engine, gets.Rest);
        Console.WriteLine($"# engine {engine3 * 1000:0.0} us against the bare RestClient {rest3 * 1000:0.0} us: what the engine itself adds ({All(allOwn)})");
        Console.WriteLine($"engine_vs_restsharp{suffix}={own:0.00}");
    }
    await MeasureAsync(emu.BaseUri, "");
    // The same with the emulator in a process of its own: the client then has its thread pool and GC to itself.
    Console.WriteLine("# with the emulator in a separate process:");
    using (var child = EmulatorChild.Start())
        await MeasureAsync(child.BaseUri, "_separate_process");
}

// ---------------------------------------------------------------- diagnostics: a GET layer by layer, over loopback or in memory
if (only == "layers") await Layers.LoopbackAsync(emu, NewLocation, quick);
if (only == "client")
    await Layers.InMemoryAsync(new InMemoryHandler(System.Text.Encoding.UTF8.GetBytes(
        "{\"conversation\":{\"id\":\"conv-a001\",\"locationId\":\"loc-alpha\",\"contactId\":\"c1\",\"type\":\"TYPE_PHONE\",\"unreadCount\":1,\"dateAdded\":1700000000000}}")));
// The spread of single GETs over loopback, 4 s of each in turn: shows the modes the figures above average over.
if (only == "spread") await Layers.SpreadAsync(emu.BaseUri, NewLocation);

// ---------------------------------------------------------------- read_ratio: a 100-item search body into typed objects vs plain DTOs
if (Want("read"))
{
    var location = "loc-bench-read";
    var token = emu.State.AddLocation(location, conversations: 100);
    using var raw = new HttpClient();
    using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(emu.BaseUri, $"conversations/search?locationId={location}&limit=100"));
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    req.Headers.Add("Version", "2021-07-28");
    using var resp = await raw.SendAsync(req);
    var body = await resp.Content.ReadAsByteArrayAsync();
    var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
    // Both sides must read all 100.
    if (!LeadConnector.Engine.JsonText.SurelyDecodable(body) || ConversationOperations.ReadSearchPage(body).Items.Count != 100)
        throw new InvalidOperationException("The engine did not read 100 conversations.");
    if (JsonSerializer.Deserialize<SearchDto>(body, options)!.Conversations.Count != 100)
        throw new InvalidOperationException("The DTOs did not read 100 conversations.");
    var (engine, baseline) = ReadBenchmark.Run(body, quick);
    Console.WriteLine($"# read a 100-item search body ({body.Length} bytes): engine {engine:0.0} us, JsonSerializer DTOs {baseline:0.0} us (BenchmarkDotNet {(quick ? "ShortRun" : "MediumRun")}, in process, means)");
    Console.WriteLine($"read_ratio={engine / baseline:0.00}");
}

// The cmdlet-path figures run in a real PowerShell runspace that imports the built module.
using var ps = new PsRunner(manifest);

// ---------------------------------------------------------------- ratelimit_utilization: bulk reads at the advertised limit
// With 150 ms of network latency, half each way, as the pacing figures have it (RateLimitSettings.LatencyMs); the rate
// is reckoned from when the server's window counted each read. On an emulator of its own, as the pacing figures below:
// the overhead figures' answers of 0.1 ms from the same host would be the fastest answer the pacer knows for a minute.
if (Want("ratelimit"))
{
    await using var rateEmu = await EmulatorServer.StartAsync();
    int max = quick ? 20 : 100, intervalMs = quick ? 2_000 : 10_000;
    rateEmu.State.RateLimit.Max = max;
    rateEmu.State.RateLimit.IntervalMs = intervalMs;
    rateEmu.State.RateLimit.LatencyMs = 150;
    var location = NewLocation("rate");
    ps.Connect(rateEmu.BaseUri, Seed.AlphaToken, location);
    // Connect-Lc's own request opened a window: let it end, so the first read opens the first window the figure spans.
    Thread.Sleep(intervalMs + 200);
    int count = 3 * max + 1; // three whole windows after the first request
    var ids = Enumerable.Range(0, count).Select(i => Seed.AlphaConversationId(i % Seed.AlphaConversationCount + 1)).ToArray();
    rateEmu.State.Requests.Clear();
    var clock = Stopwatch.StartNew();
    var result = ps.Run("$e = $null; $out = Get-LcConversation -Id $ids -ThrottleLimit 8 -ErrorVariable e -ErrorAction SilentlyContinue; " +
                        "[pscustomobject]@{ Out = @($out).Count; Errors = @($e).Count; Surfaced429 = @($e | Where-Object { $_.Exception.StatusCode -eq 429 }).Count }",
        ("ids", ids));
    clock.Stop();
    var summary = result.Single();
    int outCount = (int)summary.Properties["Out"].Value, errors = (int)summary.Properties["Errors"].Value, surfaced = (int)summary.Properties["Surfaced429"].Value;
    var log = rateEmu.State.Requests.Snapshot();
    // When the server's window counted each (after the inbound half of the latency), not when it came off the socket.
    var ok = log.Where(r => r.StatusCode == 200).Select(r => r.CountedAt ?? r.ReceivedAt).OrderBy(t => t).ToArray();
    int refused = log.Count(r => r.StatusCode == 429);
    // The rate the server saw, from the first accepted request to the last, as a share of the advertised rate.
    double rate = (ok.Length - 1) / (ok[^1] - ok[0]).TotalSeconds;
    double limit = max / (intervalMs / 1000.0);
    Console.WriteLine($"# {count} reads at {max} per {intervalMs / 1000.0:0.#} s with 150 ms of network latency: {clock.Elapsed.TotalSeconds:0.0} s, {outCount} out, {errors} errors, " +
                      $"{rate:0.00}/s against {limit:0.00}/s, server refused {refused} (absorbed by retries)");
    Console.WriteLine($"ratelimit_utilization={rate / limit:0.000} surfaced_429={surfaced}");
}

// ---------------------------------------------------------------- sequential_vs_concurrent: -ThrottleLimit 8 against 1
if (Want("concurrency"))
{
    HighLimit();
    emu.State.Faults.Add(new FaultRule { Method = "GET", PathPrefix = "/conversations/", Kind = FaultKind.Delay, DelayMs = 150 });
    ps.Connect(emu.BaseUri, Seed.AlphaToken, NewLocation("conc"));
    int count = quick ? 40 : 160;
    var ids = Enumerable.Range(0, count).Select(i => Seed.AlphaConversationId(i % Seed.AlphaConversationCount + 1)).ToArray();
    double Time(int throttle)
    {
        var sw = Stopwatch.StartNew();
        var r = ps.Run("@(Get-LcConversation -Id $ids -ThrottleLimit $t).Count", ("ids", ids), ("t", throttle));
        sw.Stop();
        if ((int)r.Single().BaseObject != count) throw new InvalidOperationException("Not every conversation came back.");
        return sw.Elapsed.TotalSeconds;
    }
    Time(8); // warm up
    var one = Harness.Median(Enumerable.Range(0, quick ? 1 : 3).Select(_ => Time(1)).ToList());
    var eight = Harness.Median(Enumerable.Range(0, 3).Select(_ => Time(8)).ToList());
    Console.WriteLine($"# {count} reads with 150 ms latency: -ThrottleLimit 1 {one:0.00} s, -ThrottleLimit 8 {eight:0.00} s");
    Console.WriteLine($"sequential_vs_concurrent={one / eight:0.00}");
}

// ---------------------------------------------------------------- cmdlet_vs_irm: N Get-LcConversation -Id against N Invoke-RestMethod
if (Want("irm"))
{
    HighLimit();
    var location = NewLocation("irm");
    ps.Connect(emu.BaseUri, Seed.AlphaToken, location);
    int n = quick ? 100 : 400;
    var uri = new Uri(emu.BaseUri, "conversations/conv-a001").ToString();
    var headers = new System.Collections.Hashtable { ["Authorization"] = "Bearer " + Seed.AlphaToken, ["Version"] = "2021-07-28", ["Accept"] = "application/json" };
    double Time(string script)
    {
        var sw = Stopwatch.StartNew();
        ps.Run(script, ("n", n), ("uri", uri), ("h", headers));
        return sw.Elapsed.TotalSeconds;
    }
    const string cmdlet = "foreach ($i in 1..$n) { $null = Get-LcConversation -Id conv-a001 }";
    const string irm = "foreach ($i in 1..$n) { $null = Invoke-RestMethod -Uri $uri -Headers $h }";
    Time(cmdlet); Time(irm); // warm up
    var c = new List<double>();
    var r = new List<double>();
    for (int round = 0; round < 3; round++) { c.Add(Time(cmdlet)); r.Add(Time(irm)); }
    double mc = Harness.Median(c), mr = Harness.Median(r);
    Console.WriteLine($"# {n} sequential calls from one runspace: Get-LcConversation -Id {mc * 1000 / n:0.00} ms, Invoke-RestMethod {mr * 1000 / n:0.00} ms per call");
    Console.WriteLine($"cmdlet_vs_irm_runspace={mc / mr:0.00}");
}

// ---------------------------------------------------------------- cmdlet_vs_irm, js_sdk_ratio: per call in a fresh pwsh (issue 19)
if (Want("irm")) PerCall.Run(manifest, quick);

// ---------------------------------------------------------------- bulk_of_ideal and sweep_utilization (bench/PacingFigures.cs)
// On an emulator of their own (another port, so another host to the engine): the overhead figures' answers of 0.1 ms
// from the same host would be the pacers' fastest answer for the next minute (HostLatency), as they would be for a user
// whose network had just become slower, and every 150 ms answer would be taken for one held up on its way.
if (Want("bulk") || Want("sweep"))
{
    await using var paceEmu = await EmulatorServer.StartAsync();
    if (Want("bulk")) foreach (var window in new[] { RateLimitWindow.Fixed, RateLimitWindow.Sliding }) PacingFigures.BulkOfIdeal(paceEmu, ps, window);
    if (Want("sweep")) { PacingFigures.Sweep(paceEmu, ps, 1, "_one_location"); PacingFigures.Sweep(paceEmu, ps, 50, ""); }
}

// ---------------------------------------------------------------- stream_memory_ratio: -All over many conversations vs 1,000
if (Want("stream"))
{
    HighLimit();
    int big = quick ? 20_000 : 100_000, small = 1_000;
    var seed = Stopwatch.StartNew();
    var bigLocation = NewLocation("big");
    var bigToken = emu.State.AddLocation(bigLocation, conversations: big);
    var smallLocation = NewLocation("small");
    var smallToken = emu.State.AddLocation(smallLocation, conversations: small);
    Console.WriteLine($"# seeded {big + small} conversations in {seed.Elapsed.TotalSeconds:0.0} s");
    var smallRun = StreamChild.Launch(emu.BaseUri, smallToken, smallLocation, manifest);
    var bigRun = StreamChild.Launch(emu.BaseUri, bigToken, bigLocation, manifest);
    if (smallRun.Count != small || bigRun.Count != big) throw new InvalidOperationException($"Streamed {smallRun.Count} and {bigRun.Count}.");
    Console.WriteLine($"# peak live managed memory streaming -All: {small} -> {smallRun.PeakBytes / 1048576.0:0.0} MiB ({smallRun.Seconds:0.0} s), " +
                      $"{big} -> {bigRun.PeakBytes / 1048576.0:0.0} MiB ({bigRun.Seconds:0.0} s)");
    Console.WriteLine($"stream_memory_ratio={(double)bigRun.PeakBytes / smallRun.PeakBytes:0.00}");
}

// ---------------------------------------------------------------- import_ms: Import-Module in a fresh pwsh, minus a bare pwsh
if (Want("import"))
{
    var (bare, import, difference) = ImportTimer.Measure(manifest, runs: 5);
    Console.WriteLine($"# fresh pwsh: bare {bare:0} ms, with Import-Module {import:0} ms (medians of 5; the figure is the median of the 5 paired differences)");
    Console.WriteLine($"import_ms={difference:0}");
}

// ---------------------------------------------------------------- import_vs_minimal: LeadConnector against the smallest binary module (issue 19)
if (Want("import"))
{
    var minimal = Assembly.GetEntryAssembly()!.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LcMinimalManifest").Value!;
    int pairs = quick ? 9 : 25;
    var (ratio, module, baseline, all, noFormat) = ImportCompare.Measure(manifest, minimal, pairs);
    Console.WriteLine($"# fresh pwsh importing LeadConnector {module:0} ms, importing a minimal binary module (one cmdlet, one format file) {baseline:0} ms " +
                      $"(medians of {pairs} pairs; the figure is the median of the pairs' ratios: {string.Join(" ", all.Select(r => r.ToString("0.00")))}); " +
                      $"LeadConnector without its format and type files {noFormat:0.00} of the minimal module");
    Console.WriteLine($"import_vs_minimal={ratio:0.00}");
}

Console.WriteLine($"# total {total.Elapsed.TotalSeconds:0} s");
return 0;

/// <summary>Answers every request with the same JSON body, in memory.</summary>
sealed class InMemoryHandler(byte[] body) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.Add("X-RateLimit-Max", "100000");
        response.Headers.Add("X-RateLimit-Interval-Milliseconds", "1000");
        response.Headers.Add("X-RateLimit-Remaining", "99999");
        return Task.FromResult(response);
    }
}
