using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadConnector;
using LeadConnector.Emulator;

// Benchmarks for the engine. Each figure is printed beside a baseline measured in the same run on the same
// machine, so the ratio (not the absolute time) is what to compare between commits.
//   dotnet run -c Release --project tests/LeadConnector.Benchmarks

await using var emulator = await EmulatorServer.StartAsync();
emulator.State.RateLimit.Max = 100_000;     // the highest limit the client accepts: measures pacing overhead, not waits
emulator.State.RateLimit.IntervalMs = 1_000;

var connection = Connection.Create(new ConnectionOptions
{
    AccessToken = Seed.AlphaToken, LocationId = Seed.AlphaLocation, BaseUri = emulator.BaseUri,
});
var ops = new ConversationOperations(connection);
var call = new LcCall(CancellationToken.None);

using var raw = new HttpClient();
async Task RawGet(string path)
{
    using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseUri, path));
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
    req.Headers.Add("Version", "2021-07-28");
    using var resp = await raw.SendAsync(req);
    using var doc = JsonDocument.Parse(await resp.Content.ReadAsByteArrayAsync());
}

Console.WriteLine("LeadConnector engine benchmarks (median of 7 rounds; lower is better)");
Console.WriteLine($"{"case",-44} {"engine",12} {"baseline",12} {"ratio",7}");

await Compare("GET /conversations/{id} x200", 200,
    () => ops.GetAsync("conv-a001", call),
    () => RawGet("conversations/conv-a001"));

await Compare("search page of 100 x50", 50,
    () => ops.SearchAsync(new ConversationQuery(), 100, null, call),
    () => RawGet("conversations/search?locationId=loc-alpha&limit=100"));

var body = File.ReadAllBytes(await SaveSearchBody());
await Compare("read a 100-item search body x2000 (no I/O)", 2000,
    () => { using var d = JsonDocument.Parse(body); foreach (var e in d.RootElement.GetProperty("conversations").EnumerateArray()) _ = ConversationFrom(e); return Task.CompletedTask; },
    () => { using var d = JsonDocument.Parse(body); foreach (var e in d.RootElement.GetProperty("conversations").EnumerateArray()) _ = e.Clone(); return Task.CompletedTask; });

// The client's own cost per request, without sockets: the engine and a bare HttpClient over the same in-memory handler.
var memHandler = new InMemoryHandler(File.ReadAllBytes(await SaveGetBody()));
var memConnection = Connection.Create(new ConnectionOptions
{
    AccessToken = Seed.AlphaToken, LocationId = Seed.AlphaLocation, BaseUri = new Uri("https://bench.example.test/"),
    Handler = memHandler, Pacing = false,
});
var memOps = new ConversationOperations(memConnection);
using var memRaw = new HttpClient(memHandler, disposeHandler: false);
await Compare("GET /conversations/{id} x2000 (in-memory, no I/O)", 2000,
    () => memOps.GetAsync("conv-a001", call),
    async () =>
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, "https://bench.example.test/conversations/conv-a001");
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
        req.Headers.Add("Version", "2021-07-28");
        using var resp = await memRaw.SendAsync(req);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsByteArrayAsync());
    });

async Task<string> SaveGetBody()
{
    var path = Path.GetTempFileName();
    using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseUri, "conversations/conv-a001"));
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
    req.Headers.Add("Version", "2021-07-28");
    using var resp = await raw.SendAsync(req);
    await File.WriteAllBytesAsync(path, await resp.Content.ReadAsByteArrayAsync());
    return path;
}

async Task<string> SaveSearchBody()
{
    var path = Path.GetTempFileName();
    using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseUri, "conversations/search?locationId=loc-alpha&limit=100"));
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
    req.Headers.Add("Version", "2021-07-28");
    using var resp = await raw.SendAsync(req);
    await File.WriteAllBytesAsync(path, await resp.Content.ReadAsByteArrayAsync());
    return path;
}

// The engine's lenient reader, the one the operations use.
static Conversation ConversationFrom(JsonElement e) => Conversation.Read(e);

static async Task Compare(string name, int iterations, Func<Task> engine, Func<Task> baseline)
{
    for (int i = 0; i < Math.Min(iterations, 20); i++) { await engine(); await baseline(); } // warm up
    var e = new List<double>();
    var b = new List<double>();
    for (int round = 0; round < 7; round++)
    {
        e.Add(await Time(iterations, engine));
        b.Add(await Time(iterations, baseline));
    }
    double me = Median(e), mb = Median(b);
    Console.WriteLine($"{name,-44} {me,9:0.000} ms {mb,9:0.000} ms {me / mb,6:0.00}x");
}

static async Task<double> Time(int n, Func<Task> f)
{
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < n; i++) await f();
    return sw.Elapsed.TotalMilliseconds / n;
}

static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }

/// <summary>Answers every request with the same JSON body, in memory.</summary>
sealed class InMemoryHandler(byte[] body) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
