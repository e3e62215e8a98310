using System;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using Microsoft.Extensions.Time.Testing;

namespace LeadConnector.Tests.Engine
{
    /// <summary>The registry of pacing gates forgets a gate nobody uses, and keeps one that is in use. Time is faked: no sleeps.</summary>
    public class RateGatesTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        [Fact]
        public void The_same_key_gets_the_same_gate_and_another_key_another()
        {
            var gates = new RateGates(new FakeTimeProvider());
            Assert.Same(gates.For("a"), gates.For("a"));
            Assert.NotSame(gates.For("a"), gates.For("b"));
            Assert.Equal(2, gates.Count);
        }

        [Fact]
        public void An_idle_gate_is_forgotten_and_a_recently_used_one_is_kept()
        {
            var clock = new FakeTimeProvider();
            var gates = new RateGates(clock);
            var idle = gates.For("idle");
            clock.Advance(RateGates.IdleAfter - TimeSpan.FromMinutes(1));
            var recent = gates.For("recent");
            clock.Advance(TimeSpan.FromMinutes(2)); // "idle" unused for IdleAfter + 1 min, "recent" for 2 min

            gates.Sweep();

            Assert.Equal(1, gates.Count);
            Assert.Same(recent, gates.For("recent"));
            Assert.NotSame(idle, gates.For("idle")); // a new gate: the old one was forgotten
        }

        [Fact]
        public async Task A_gate_with_a_request_waiting_at_it_is_not_forgotten()
        {
            var clock = new FakeTimeProvider();
            var gates = new RateGates(clock);
            var busy = gates.For("busy");
            await busy.WaitAsync(Call);                  // the first request leaves at once
            var waiting = busy.WaitAsync(Call);          // the next waits 100 ms for its slot, on the fake clock
            Assert.False(waiting.IsCompleted);

            clock.Advance(RateGates.IdleAfter + TimeSpan.FromMinutes(1)); // ...and the test holds it there past IdleAfter
            gates.Sweep();
            Assert.Same(busy, gates.For("busy"));
            await waiting;
        }

        [Fact]
        public async Task A_gate_whose_daily_quota_is_spent_is_not_forgotten()
        {
            var clock = new FakeTimeProvider();
            var gates = new RateGates(clock);
            var blocked = gates.For("blocked");
            using var spent = new System.Net.Http.HttpResponseMessage((System.Net.HttpStatusCode)429);
            spent.Headers.TryAddWithoutValidation(RateLimitHeaders.DailyRemaining, "0");
            blocked.Learn(spent.Headers, 429, null, clock.GetTimestamp());

            clock.Advance(RateGates.IdleAfter + TimeSpan.FromMinutes(1));
            gates.Sweep();

            Assert.Same(blocked, gates.For("blocked"));
            Assert.True(blocked.Daily.Blocked);
        }

        [Fact]
        public void Look_ups_sweep_by_themselves_once_a_sweep_is_due()
        {
            var clock = new FakeTimeProvider();
            var gates = new RateGates(clock);
            gates.For("old");
            clock.Advance(RateGates.IdleAfter + RateGates.SweepEvery);
            gates.For("new");
            Assert.Equal(1, gates.Count);
        }
    }
}
