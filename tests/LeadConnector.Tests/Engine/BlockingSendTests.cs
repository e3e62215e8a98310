using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.TestLocations;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// A call whose caller blocks on it (<see cref="LcCall.Blocks"/>, as a single cmdlet call does) goes through RestSharp
    /// and then waits for the network on the caller's thread (BlockingSendHandler): it is done when it returns, reads the
    /// same answer as an asynchronous call, and still ends at once on a cancel or at its timeout.
    /// </summary>
    [Collection("Emulator")]
    public class BlockingSendTests
    {
        private readonly EmulatorFixture _emu;

        public BlockingSendTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
        }

        private Connection Isolated(int timeoutSec = 60) => _emu.Connect(Seed.AlphaToken, IsolatedLocation("blk"), maxRetries: 0, timeoutSec: timeoutSec);

        /// <summary>A call made blocking by the thread that runs it, on a thread of its own (as the pipeline thread would).</summary>
        private static Task<Conversation> OnOwnThread(Connection conn, CancellationToken ct) =>
            Task.Factory.StartNew(() =>
            {
                var call = new LcCall(ct, null, Environment.CurrentManagedThreadId);
                return new ConversationOperations(conn).GetAsync("conv-a001", call).GetAwaiter().GetResult();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        [Fact]
        public async Task A_blocking_call_is_done_when_it_returns_and_reads_what_an_asynchronous_call_reads()
        {
            var conn = Isolated();
            var asynchronous = await new ConversationOperations(conn).GetAsync("conv-a001", new LcCall(CancellationToken.None));

            var (done, blocking) = await Task.Factory.StartNew(() =>
            {
                var task = new ConversationOperations(conn).GetAsync("conv-a001", new LcCall(CancellationToken.None, null, Environment.CurrentManagedThreadId));
                return (task.IsCompleted, task.GetAwaiter().GetResult());
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            Assert.True(done, "the blocking call had not ended when it returned: it went asynchronously");
            Assert.Equal(asynchronous.Id, blocking.Id);
            Assert.Equal(asynchronous.ContactId, blocking.ContactId);
            Assert.Equal(asynchronous.LastMessageBody, blocking.LastMessageBody);
            Assert.Equal(asynchronous.DateUpdated, blocking.DateUpdated);
            Assert.Equal(2, _emu.Requests().Length);
        }

        [Fact]
        public async Task Cancelling_a_blocking_call_at_the_server_ends_it_at_once()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Delay, DelayMs = 30_000 });
            using var cts = new CancellationTokenSource();
            var call = OnOwnThread(Isolated(timeoutSec: 60), cts.Token);
            _emu.WaitForRequests(1);
            var clock = Stopwatch.StartNew();
            cts.Cancel();
            var ex = await Assert.ThrowsAsync<LcException>(() => call.Within("the cancelled blocking call to end"));
            Assert.Equal(LcErrorKind.Cancelled, ex.Kind);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"ended {clock.Elapsed.TotalMilliseconds:0} ms after the cancel");
        }

        [Fact]
        public async Task A_blocking_call_times_out_like_an_asynchronous_one()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Delay, DelayMs = 30_000 });
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<LcException>(() => OnOwnThread(Isolated(timeoutSec: 1), CancellationToken.None).Within("the blocking call to time out"));
            Assert.Equal(LcErrorKind.Timeout, ex.Kind);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"timed out after {clock.Elapsed.TotalSeconds:0.0} s, not after about 1 s");
        }

        [Fact]
        public async Task A_body_cut_short_fails_a_blocking_call_as_it_fails_an_asynchronous_one()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.TruncatedBody, Count = 1 });
            var asynchronous = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(Isolated()).GetAsync("conv-a001", new LcCall(CancellationToken.None)));
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.TruncatedBody, Count = 1 });
            var blocking = await Assert.ThrowsAsync<LcException>(() => OnOwnThread(Isolated(), CancellationToken.None).Within("the blocking call to fail"));
            Assert.Equal(asynchronous.Kind, blocking.Kind);
        }
    }
}
