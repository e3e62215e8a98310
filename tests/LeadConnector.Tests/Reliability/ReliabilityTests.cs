using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using Xunit.Abstractions;
using static LeadConnector.Tests.Infrastructure.EmulatorFaults;
using static LeadConnector.Tests.Infrastructure.TestLocations;

namespace LeadConnector.Tests.Reliability
{
    /// <summary>Collects what the engine reports about a call; safe to call from any thread.</summary>
    internal sealed class CollectingTrace : ILcTrace
    {
        private readonly ConcurrentQueue<string> _verbose = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<string> _debug = new ConcurrentQueue<string>();

        public IReadOnlyList<string> VerboseLines => _verbose.ToArray();
        public IReadOnlyList<string> DebugLines => _debug.ToArray();

        public void Verbose(string message) => _verbose.Enqueue(message);
        public void Debug(string message) => _debug.Enqueue(message);
    }

    /// <summary>
    /// The client under faults, rate limits, quotas, timeouts and cancellation, against the emulator over loopback.
    /// Every connection here has a default location of its own ("loc-alpha-iso-…"): that string only keys the
    /// client-side rate gate (token fingerprint + host:port + location), so each test starts from a fresh gate and no
    /// learned limit, pause or remembered daily quota leaks into other tests. Calls that send a location pass
    /// loc-alpha explicitly; GET by id sends none.
    /// </summary>
    [Collection("Emulator")]
    public class ReliabilityTests
    {
        private readonly EmulatorFixture _emu;
        private readonly ITestOutputHelper _out;

        public ReliabilityTests(EmulatorFixture emu, ITestOutputHelper output)
        {
            _emu = emu;
            _out = output;
            _emu.Reset();
        }

        private Connection Isolated(int maxRetries = 3, int timeoutSec = 10, int maxRetryTimeSec = 60, string? location = null) =>
            _emu.Connect(Seed.AlphaToken, location ?? IsolatedLocation("iso"), maxRetries, timeoutSec, maxRetryTimeSec);

        private static LcCall Call(ILcTrace? trace = null) => new LcCall(CancellationToken.None, trace);

        [Fact]
        public async Task A_post_to_a_port_where_nothing_listens_is_retried_and_ends_in_a_network_error()
        {
            int port = FreePort(); // nothing listens there now
            var conn = Connection.Create(new ConnectionOptions
            {
                AccessToken = Seed.AlphaToken,
                LocationId = Seed.AlphaLocation,
                BaseUri = new Uri($"http://127.0.0.1:{port}"),
                MaxRetries = 2,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            });

            var trace = new CollectingTrace();
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(conn).CreateAsync(null, "contact-a001", Call(trace)));
            Assert.Equal(LcErrorKind.Network, ex.Kind);
            Assert.Equal(3, ex.Attempts);
            Assert.Contains("refused", ex.Message);
            Assert.Contains("POST", ex.Message);
            var retries = trace.VerboseLines.Where(v => v.StartsWith("Retrying POST /conversations/")).ToList();
            Assert.Equal(2, retries.Count);
            Assert.All(retries, r => Assert.EndsWith("after a refused connection.", r));
        }

        // ------------------------------------------------------------------ cancellation

        /// <summary>
        /// Cancelled while the request is at the server, which holds it 30 s: the call ends with Cancelled without the
        /// answer (the request was never processed) and long before it could have come. "Promptly" allows a loaded machine 10 s.
        /// </summary>
        [Fact]
        public async Task Cancelling_an_engine_call_raises_Cancelled()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Delay, DelayMs = 30_000 });
            using var cts = new CancellationTokenSource();
            // TimeoutSec 60: a call that ignored the cancel would be answered after the 30 s hold, not end by its own timeout.
            var call = new ConversationOperations(Isolated(timeoutSec: 60)).GetAsync("conv-a001", new LcCall(cts.Token));
            _emu.WaitForRequests(1);
            var clock = Stopwatch.StartNew();
            cts.Cancel();
            var ex = await Assert.ThrowsAsync<LcException>(() => call.Within("the cancelled call to end"));
            Assert.Equal(LcErrorKind.Cancelled, ex.Kind);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"ended {clock.Elapsed.TotalMilliseconds:0} ms after the cancel");
            Assert.False(Assert.Single(_emu.Requests()).Processed, "the call waited for the server's answer");
        }

        // ------------------------------------------------------------------ pacing

        /// <summary>
        /// The hold that RateGate.Learn sets after a 429 (or after X-RateLimit-Remaining: 0) stops requests already
        /// waiting at the gate, not only new ones: RateGate.WaitAsync looks at the pause again on every turn of its wait,
        /// before it takes a send slot. Here the gate has learned 1 per second (a window's whole quota may leave at once,
        /// so a quota of one lets the first read go and holds the rest until the window has passed), eight reads queue at
        /// once, the first is answered 429 with Retry-After: 2; the other seven must wait the 2 s out instead of leaving
        /// into the server's full window a second later. The second it holds them is the time the client has to read the
        /// 429 before the second read may leave: long even for a busy machine.
        /// </summary>
        [Fact]
        public async Task Requests_already_queued_at_the_gate_wait_out_a_429_pause()
        {
            _emu.State.RateLimit.Max = 1;
            _emu.State.RateLimit.IntervalMs = 1000;
            var location = IsolatedLocation("iso");
            await new ConversationOperations(Isolated(location: location)).GetAsync("conv-a010", Call()); // the gate learns 1 per second
            // The server itself refuses nothing more (only the fault's one 429), however the arrivals bunch on a busy machine.
            _emu.State.RateLimit.Max = 100_000;
            _emu.State.ResetRateLimitCounters();
            _emu.State.Requests.Clear();
            _emu.State.Faults.Add(TooManyRequestsOnGet(count: 1, retryAfter: "2"));

            var conn = Isolated(maxRetries: 3, location: location);
            var ops = new ConversationOperations(conn);
            // Started from this thread one after another: each call runs until it queues at the gate, so all eight are
            // queued (or the first sent) within microseconds, long before the first answer can come back.
            var reads = Enumerable.Range(1, 8).Select(i => ops.GetAsync(Seed.AlphaConversationId(i), Call())).ToArray();
            Task.WaitAll(reads);

            var log = _emu.Requests();
            _out.WriteLine(string.Join(" ", log.Select(r => $"{r.Path}@{(r.ReceivedAt - log[0].ReceivedAt).TotalMilliseconds:0}ms/{r.StatusCode}")));
            var refused = Assert.Single(log, r => r.StatusCode == 429);
            var duringHold = log.Where(r => r.ReceivedAt > refused.ReceivedAt && r.ReceivedAt < refused.ReceivedAt.AddSeconds(1.5)).ToList();
            Assert.True(duringHold.Count == 0,
                $"{duringHold.Count} requests were sent during the 2 s the server asked to wait: " +
                string.Join(", ", duringHold.Select(r => $"{r.Path} +{(r.ReceivedAt - refused.ReceivedAt).TotalMilliseconds:0} ms")));
        }
    }
}
