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
        }

        /// <summary>
        /// Runs <paramref name="total"/> requests, <paramref name="inFlight"/> at a time, through one gate, against a fixed
        /// window (from the first request after the last window ended) or a sliding one. Each way of an answer takes half
        /// the latency plus up to <paramref name="jitterMs"/> more (seeded).
        /// </summary>
        private static Outcome Run(int total, int inFlight, int latencyMs, int foreignPerWindow = 0, bool sliding = false, int jitterMs = 0, int seed = 1)
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
                Assert.True(ms < 120_000, "the simulated job did not finish in two simulated minutes");
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
                    if (f.Status == 429) outcome.Refused++;
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
                    int there = latencyMs / 2 + (jitterMs > 0 ? random.Next(jitterMs + 1) : 0);
                    int back = latencyMs - latencyMs / 2 + (jitterMs > 0 ? random.Next(jitterMs + 1) : 0);
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
    }
}
