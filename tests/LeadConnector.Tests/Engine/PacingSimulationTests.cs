using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using LeadConnector.Engine;
using Microsoft.Extensions.Time.Testing;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The pacing gate against a simulated server, millisecond by millisecond on a fake clock (no threads, no sleeps):
    /// a fixed window that starts at the first request after the previous window ended (or a sliding window), answers
    /// that come back one latency after the request left (half of it on the way there; optionally each half a little
    /// longer, at random, seeded). The gate must never take its own requests for another client's (the stall seen at
    /// 100-300 ms latency: a whole window lost after the last request of a window came back with Remaining: 0), must
    /// never be refused, and must still hold when another client really spends part of the window.
    /// </summary>
    public class PacingSimulationTests
    {
        private const int Max = 20;
        private const int IntervalMs = 2000;

        private sealed class InFlight
        {
            public long SentAt;     // the gate's timestamp
            public int SentMs;
            public int ArrivesMs;
            public int AnsweredMs;
            public int Status;
            public int Remaining;
            public bool Arrived;
        }

        private sealed class Outcome
        {
            public int Refused;          // 429s
            public int HeldCount;        // answers after which the gate held new requests
            public int FinishedMs;       // when the last answer came back
            public int LastSentMs;
            public List<int> SentMs = new List<int>();
            public List<int> RefusedSentMs = new List<int>(); // when each refused request left
        }

        /// <summary>
        /// Runs <paramref name="total"/> requests, <paramref name="inFlight"/> at a time, through one gate, against a fixed
        /// window (from the first request after the last window ended) or a sliding one. Each way of an answer takes half
        /// the latency plus up to <paramref name="jitterMs"/> more (seeded).
        /// </summary>
        private static Outcome Run(int total, int inFlight, int latencyMs, int foreignPerWindow = 0, bool sliding = false, int jitterMs = 0, int seed = 1,
            int changeAtMs = int.MaxValue, int latencyAfterMs = 0)
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
            var gate = new RateGate(clock);
            var flying = new List<InFlight>();
            var outcome = new Outcome();
            var random = new Random(seed);
            int sent = 0, done = 0;
            int? windowStart = null;
            int count = 0;
            var accepted = new Queue<int>(); // the sliding window's accepted arrivals

            for (int ms = 0; done < total; ms++)
            {
                Assert.True(ms < 180_000, "the simulated job did not finish in three simulated minutes");
                // The server counts each request when it arrives.
                foreach (var f in flying)
                {
                    if (f.Arrived || ms < f.ArrivesMs) continue;
                    f.Arrived = true;
                    if (sliding)
                    {
                        while (accepted.Count > 0 && accepted.Peek() <= ms - IntervalMs) accepted.Dequeue();
                        f.Status = accepted.Count >= Max ? 429 : 200;
                        if (f.Status == 200) accepted.Enqueue(ms);
                        f.Remaining = Math.Max(0, Max - accepted.Count);
                        continue;
                    }
                    if (windowStart is null || ms >= windowStart + IntervalMs)
                    {
                        windowStart = ms;
                        count = foreignPerWindow; // another client, sharing the quota, spent these at the window's start
                    }
                    count++;
                    f.Status = count > Max ? 429 : 200;
                    f.Remaining = Math.Max(0, Max - count);
                }
                // Answers come back one latency (and the jitter of both ways) after the request left.
                for (int i = flying.Count - 1; i >= 0; i--)
                {
                    var f = flying[i];
                    if (ms < f.AnsweredMs) continue;
                    flying.RemoveAt(i);
                    done++;
                    outcome.FinishedMs = ms;
                    if (f.Status == 429) { outcome.Refused++; outcome.RefusedSentMs.Add(f.SentMs); }
                    using var answer = new HttpResponseMessage();
                    answer.Headers.TryAddWithoutValidation(RateLimitHeaders.Max, Max.ToString(CultureInfo.InvariantCulture));
                    answer.Headers.TryAddWithoutValidation(RateLimitHeaders.IntervalMs, IntervalMs.ToString(CultureInfo.InvariantCulture));
                    answer.Headers.TryAddWithoutValidation(RateLimitHeaders.Remaining, f.Remaining.ToString(CultureInfo.InvariantCulture));
                    bool wasHeld = gate.IsHeld;
                    gate.Learn(answer.Headers, f.Status, null, f.SentAt);
                    if (gate.IsHeld && !wasHeld) outcome.HeldCount++;
                }
                // New requests leave when the gate gives them a slot.
                while (sent < total && flying.Count < inFlight && gate.TryTakeSlot(out var sentAt) == 0)
                {
                    // The network may become slower or faster from changeAtMs on.
                    int latency = ms >= changeAtMs ? latencyAfterMs : latencyMs;
                    int there = latency / 2 + (jitterMs > 0 ? random.Next(jitterMs + 1) : 0);
                    int back = latency - latency / 2 + (jitterMs > 0 ? random.Next(jitterMs + 1) : 0);
                    flying.Add(new InFlight { SentAt = sentAt, SentMs = ms, ArrivesMs = ms + there, AnsweredMs = ms + there + back });
                    outcome.LastSentMs = ms;
                    outcome.SentMs.Add(ms);
                    sent++;
                }
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }
            return outcome;
        }

        [Theory]
        [InlineData(20)]
        [InlineData(100)]
        [InlineData(150)]
        [InlineData(200)]
        [InlineData(300)]
        [InlineData(600)]
        public void Its_own_full_window_is_never_taken_for_another_client(int latencyMs)
        {
            var o = Run(total: 60, inFlight: 8, latencyMs: latencyMs);

            Assert.Equal(0, o.Refused);
            Assert.Equal(0, o.HeldCount);
            AssertNoPauseBeyondTheWindow(o, latencyMs, jitterMs: 0);
        }

        /// <summary>
        /// No pause longer than the window's own wait: each next window's requests leave as the window opens (the one
        /// max sends back reached the server an interval ago), so the last request leaves no later than the first
        /// window's last plus an interval per further window, each with what the answers' jitter may hide (both ways) and
        /// the gate's epsilon. The first window leaves as fast as the answers let the gate learn the limit and free the
        /// requests in flight.
        /// </summary>
        private static void AssertNoPauseBeyondTheWindow(Outcome o, int latencyMs, int jitterMs, int inFlight = 8)
        {
            int windows = (o.SentMs.Count + Max - 1) / Max;
            int firstWindowLast = o.SentMs[Math.Min(Max, o.SentMs.Count) - 1];
            int roundTrip = latencyMs + 2 * jitterMs + 1;
            int chunks = (Max + inFlight - 1) / inFlight;
            Assert.InRange(firstWindowLast, 0, RateGate.DefaultIntervalMs / RateGate.DefaultMax + chunks * roundTrip);
            int allowance = 2 * jitterMs + (int)Math.Ceiling(RateGate.EpsilonMs) + 2;
            var lastByPlan = firstWindowLast + (windows - 1) * (IntervalMs + allowance);
            Assert.InRange(o.LastSentMs, 0, lastByPlan);
            Assert.InRange(o.FinishedMs, 0, lastByPlan + roundTrip);
        }

        /// <summary>
        /// The bulk job of the benchmark (300 reads at 20 per 2 s), against both kinds of server window, at several
        /// latencies, with 8 in flight or a whole window's quota: never refused, never held, no pause beyond the window.
        /// </summary>
        [Theory]
        [InlineData(false, 20, 8)]
        [InlineData(false, 150, 8)]
        [InlineData(false, 150, 20)]
        [InlineData(false, 300, 8)]
        [InlineData(false, 600, 20)]
        [InlineData(true, 20, 8)]
        [InlineData(true, 150, 8)]
        [InlineData(true, 150, 20)]
        [InlineData(true, 300, 8)]
        [InlineData(true, 600, 20)]
        public void Both_window_kinds_at_several_latencies_are_never_refused_nor_paused_beyond_the_window(bool sliding, int latencyMs, int inFlight)
        {
            var o = Run(total: 300, inFlight: inFlight, latencyMs: latencyMs, sliding: sliding);

            Assert.Equal(0, o.Refused);
            Assert.Equal(0, o.HeldCount);
            AssertNoPauseBeyondTheWindow(o, latencyMs, jitterMs: 0, inFlight);
            // Ideal: 14 further windows after the first window's 20 leave at once, plus one latency.
            double ideal = 14 * IntervalMs + latencyMs;
            Assert.True(ideal / o.FinishedMs >= (inFlight >= Max ? 0.97 : 0.96), $"{o.FinishedMs} ms against the ideal {ideal} ms");
            if (!sliding && inFlight >= Max)
            {
                // The headers showed the window is fixed: its phase is learned, and each later window's whole quota leaves
                // as it opens, however the first window's requests were spread while the limit was not yet known.
                var last = o.SentMs.GetRange(o.SentMs.Count - Max, Max);
                Assert.InRange(last[Max - 1] - last[0], 0, 2);
            }
        }

        /// <summary>
        /// The same with answers that take up to 15 ms longer each way, at random: a request held up on its way holds
        /// its successor a window later by as much, so neither kind of window ever refuses one.
        /// </summary>
        [Theory]
        [InlineData(false, 150, 1)]
        [InlineData(false, 150, 2)]
        [InlineData(false, 40, 3)]
        [InlineData(true, 150, 1)]
        [InlineData(true, 150, 2)]
        [InlineData(true, 40, 3)]
        public void Jittery_answers_are_never_refused(bool sliding, int latencyMs, int seed)
        {
            var o = Run(total: 300, inFlight: 20, latencyMs: latencyMs, sliding: sliding, jitterMs: 15, seed: seed);

            Assert.Equal(0, o.Refused);
            Assert.Equal(0, o.HeldCount);
            AssertNoPauseBeyondTheWindow(o, latencyMs, jitterMs: 15, inFlight: 20);
        }

        [Theory]
        [InlineData(100)]
        [InlineData(300)]
        public void A_window_another_client_shares_still_holds_new_requests_and_is_never_refused(int latencyMs)
        {
            var o = Run(total: 60, inFlight: 8, latencyMs: latencyMs, foreignPerWindow: 5);

            Assert.True(o.HeldCount > 0, "the gate never held, though another client spent a quarter of each window");
        }

        /// <summary>
        /// A network that becomes slower (1 ms answers, then 150 ms): the fastest answer is the recent one, so within two
        /// epochs of the host's latency (<see cref="HostLatency.EpochMs"/>) each window again opens as the server's does,
        /// instead of every later answer being taken for one held up by 149 ms (a window lost 150 ms each). Never refused.
        /// </summary>
        [Fact]
        public void A_network_that_became_slower_is_learned_within_two_epochs()
        {
            var o = Run(total: 700, inFlight: 20, latencyMs: 1, changeAtMs: 1500, latencyAfterMs: 150);

            Assert.Equal(0, o.Refused);
            Assert.Equal(0, o.HeldCount);
            // Two epochs, then the answers' mean excess over the fastest (a quarter of it is added to every reach) decays
            // over some 5 windows.
            int learnedBy = (int)(2 * HostLatency.EpochMs) + 6 * IntervalMs;
            var firsts = new List<int>();
            for (int i = 0; i < o.SentMs.Count; i += Max) firsts.Add(o.SentMs[i]);
            int allowance = (int)Math.Ceiling(RateGate.EpsilonMs) + 2;
            for (int w = 1; w < firsts.Count; w++)
                if (firsts[w - 1] >= learnedBy)
                    Assert.True(firsts[w] - firsts[w - 1] <= IntervalMs + allowance,
                        $"window {w} opened {firsts[w] - firsts[w - 1]} ms after the one before (the windows' firsts: {string.Join(" ", firsts)})");
        }

        /// <summary>
        /// A network that becomes faster (300 ms answers, then 20 ms): a request of the next window now reaches the server
        /// sooner after it leaves. No client can see that before an answer of the faster network is back: the one window
        /// that leaves first after the change may be refused (a client sees no one-way time, only round trips), and the
        /// refusal is retried by the client, not surfaced. What the gate must do: learn it from that first answer, so no
        /// later window is ever refused, whichever way the faster answers are reckoned (against the fastest known when each
        /// answer came, and known since).
        /// </summary>
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_network_that_became_faster_costs_at_most_the_window_that_left_before_it_could_be_seen(bool sliding)
        {
            const int changeAtMs = 5000;
            var o = Run(total: 300, inFlight: 20, latencyMs: 300, sliding: sliding, changeAtMs: changeAtMs, latencyAfterMs: 20);

            Assert.InRange(o.Refused, 0, Max);
            int firstAfter = o.SentMs.Find(ms => ms >= changeAtMs);
            Assert.All(o.RefusedSentMs, ms => Assert.InRange(ms, firstAfter, firstAfter + 20));
        }
    }
}
