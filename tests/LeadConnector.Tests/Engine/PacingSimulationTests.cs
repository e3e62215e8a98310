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
    /// a fixed window that starts at the first request after the previous window ended, answers that come back one
    /// latency after the request left. The gate must never take its own requests for another client's (the stall seen at
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
        }

        /// <summary>Runs <paramref name="total"/> requests, <paramref name="inFlight"/> at a time, through one gate.</summary>
        private static Outcome Run(int total, int inFlight, int latencyMs, int foreignPerWindow = 0)
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
            var gate = new RateGate(clock);
            var flying = new List<InFlight>();
            var outcome = new Outcome();
            int sent = 0, done = 0;
            int? windowStart = null;
            int count = 0;

            for (int ms = 0; done < total; ms++)
            {
                Assert.True(ms < 120_000, "the simulated job did not finish in two simulated minutes");
                // The server counts each request when it arrives (half the latency after it left).
                foreach (var f in flying)
                {
                    if (f.Arrived || ms < f.SentMs + latencyMs / 2) continue;
                    f.Arrived = true;
                    if (windowStart is null || ms >= windowStart + IntervalMs)
                    {
                        windowStart = ms;
                        count = foreignPerWindow; // another client, sharing the quota, spent these at the window's start
                    }
                    count++;
                    f.Status = count > Max ? 429 : 200;
                    f.Remaining = Math.Max(0, Max - count);
                }
                // Answers come back one latency after the request left.
                for (int i = flying.Count - 1; i >= 0; i--)
                {
                    var f = flying[i];
                    if (ms < f.SentMs + latencyMs) continue;
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
                    flying.Add(new InFlight { SentAt = sentAt, SentMs = ms });
                    outcome.LastSentMs = ms;
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
            // The plan alone: 20 spaced over the first window, then each next window once the oldest request of the last
            // one is an interval (plus the margin) old; the 60th leaves at 2 x 2050 + 1900 ms.
            var lastByPlan = 2 * (IntervalMs + (int)RateGate.MarginMs(IntervalMs)) + (Max - 1) * IntervalMs / Max;
            Assert.InRange(o.LastSentMs, 0, lastByPlan + 2);
            Assert.InRange(o.FinishedMs, 0, lastByPlan + latencyMs + 2);
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
