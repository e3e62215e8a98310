using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// A spent daily quota (X-RateLimit-Daily-Remaining: 0) blocks no longer than the server said: until its
    /// Retry-After when it gave one, else fail fast with one probe request a minute. The gate's clock is faked.
    /// </summary>
    public class DailyQuotaTests
    {
        private const string Conv = "{\"id\":\"c1\",\"locationId\":\"loc-alpha\",\"contactId\":\"k1\",\"type\":1}";
        private const string Spent = "{\"statusCode\":429,\"message\":\"Daily limit reached\"}";
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static string UniqueToken() => "pit-daily-" + Guid.NewGuid().ToString("N");

        /// <summary>A paced connection whose gates run on a fake clock that the test moves by hand.</summary>
        private static (Connection, FakeTimeProvider, RateGates) Paced(FakeHandler h, string token, string location = "loc-alpha")
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero));
            var gates = new RateGates(clock);
            return (TestConnections.Fake(h, maxRetries: 3, location: location, pacing: true, token: token, gates: gates), clock, gates);
        }

        private static Task<LcException> Fails(Connection c) =>
            Assert.ThrowsAsync<LcException>(() => new ConversationOperations(c).GetAsync("c1", Call));

        private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

        [Fact]
        public async Task A_reset_given_by_Retry_After_is_honoured_and_calls_fail_fast_until_then()
        {
            var h = new FakeHandler((_, n) => n == 0
                ? FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0"), ("Retry-After", "120"))
                : FakeHandler.Json(200, Conv, ("X-RateLimit-Daily-Remaining", "199999")));
            var (c, clock, _) = Paced(h, UniqueToken());
            var start = clock.GetUtcNow();

            var first = await Fails(c);
            Assert.Equal(LcErrorKind.DailyLimitReached, first.Kind);
            Assert.Equal(start.AddSeconds(120), first.RetryAt);
            Assert.Contains("resets at " + Utc(start.AddSeconds(120)), first.Message);
            Assert.Single(h.Requests); // never retried

            clock.Advance(TimeSpan.FromSeconds(119));
            var again = await Fails(c);
            Assert.Equal(LcErrorKind.DailyLimitReached, again.Kind);
            Assert.Contains("in about 1 s", again.Message);
            Assert.Single(h.Requests); // failed fast: nothing sent, no probe while the reset is known

            clock.Advance(TimeSpan.FromSeconds(2));
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.Equal(2, h.Requests.Count);
            Assert.False(c.Client.Gate.Daily.Blocked);
        }

        [Fact]
        public async Task Without_a_reset_calls_fail_fast_one_probe_goes_a_minute_later_and_quota_clears_the_block()
        {
            bool quotaBack = false;
            var h = new FakeHandler((_, _) => quotaBack
                ? FakeHandler.Json(200, Conv, ("X-RateLimit-Daily-Remaining", "42"))
                : FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0")));
            var (c, clock, _) = Paced(h, UniqueToken());
            var start = clock.GetUtcNow();

            var first = await Fails(c);
            Assert.Equal(LcErrorKind.DailyLimitReached, first.Kind);
            Assert.DoesNotContain("resets at", first.Message); // no midnight or other guess
            Assert.Contains("next probe request goes at " + Utc(start.AddMinutes(1)) + " (in about 60 s)", first.Message);
            Assert.Equal(start.AddMinutes(1), first.RetryAt);
            Assert.Single(h.Requests);

            clock.Advance(TimeSpan.FromSeconds(30));
            var blocked = await Fails(c);
            Assert.Contains("(in about 30 s)", blocked.Message);
            Assert.Single(h.Requests); // fail fast: nothing sent

            // A minute on: one probe goes; the quota is still spent, so the block holds for another minute.
            clock.Advance(TimeSpan.FromSeconds(31));
            var probed = await Fails(c);
            Assert.Equal(LcErrorKind.DailyLimitReached, probed.Kind);
            Assert.Equal(2, h.Requests.Count);
            Assert.Contains("(in about 60 s)", probed.Message);
            await Fails(c);
            Assert.Equal(2, h.Requests.Count);

            // The next probe finds quota: the block clears and calls go through again without waiting.
            clock.Advance(TimeSpan.FromSeconds(61));
            quotaBack = true;
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.Equal(3, h.Requests.Count);
            Assert.False(c.Client.Gate.Daily.Blocked);
            clock.Advance(TimeSpan.FromSeconds(1)); // the gate's spacing (one request per 100 ms) runs on the fake clock too
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.Equal(4, h.Requests.Count);
        }

        [Fact]
        public async Task A_success_without_a_daily_header_also_clears_the_block()
        {
            bool quotaBack = false;
            var h = new FakeHandler((_, _) => quotaBack
                ? FakeHandler.Json(200, Conv)
                : FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0")));
            var (c, clock, _) = Paced(h, UniqueToken());
            await Fails(c);
            Assert.True(c.Client.Gate.Daily.Blocked);
            clock.Advance(TimeSpan.FromMinutes(1));
            quotaBack = true;
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.False(c.Client.Gate.Daily.Blocked);
        }

        [Fact]
        public async Task Concurrent_callers_let_exactly_one_probe_through()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0")));
            var (c, clock, _) = Paced(h, UniqueToken());
            await Fails(c);
            Assert.Single(h.Requests);

            clock.Advance(TimeSpan.FromMinutes(1));
            using var go = new ManualResetEventSlim(false);
            var callers = Enumerable.Range(0, 24).Select(_ => Task.Run(async () =>
            {
                go.Wait();
                try { await new ConversationOperations(c).GetAsync("c1", Call); return (LcException?)null; }
                catch (LcException ex) { return ex; }
            })).ToArray();
            go.Set();
            var errors = await Task.WhenAll(callers);

            Assert.All(errors, e => Assert.Equal(LcErrorKind.DailyLimitReached, e!.Kind));
            Assert.Equal(2, h.Requests.Count); // the first answer and exactly one probe
        }

        [Fact]
        public async Task A_new_connection_with_the_same_token_location_and_host_shares_the_block()
        {
            var token = UniqueToken();
            var h = new FakeHandler((_, _) => FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0")));
            var (c, _, gates) = Paced(h, token);
            await Fails(c);

            var h2 = new FakeHandler((_, _) => FakeHandler.Json(200, Conv));
            var same = TestConnections.Fake(h2, location: "loc-alpha", pacing: true, token: token, gates: gates);
            Assert.Same(c.Client.Gate, same.Client.Gate);
            var e = await Fails(same);
            Assert.Equal(LcErrorKind.DailyLimitReached, e.Kind);
            Assert.Empty(h2.Requests); // the new connection did not clear the block, and sent nothing
            Assert.True(c.Client.Gate.Daily.Blocked);

            // Another location with the same token is a different gate: it asks the server.
            var other = TestConnections.Fake(h2, location: "loc-beta", pacing: true, token: token, gates: gates);
            await new ConversationOperations(other).GetAsync("c1", Call);
            Assert.Single(h2.Requests);
        }

        [Fact]
        public async Task Without_pacing_the_error_still_names_the_next_probe_not_midnight()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(429, Spent, ("X-RateLimit-Daily-Remaining", "0")));
            var c = TestConnections.Fake(h, pacing: false, token: UniqueToken());
            var e = await Fails(c);
            Assert.Equal(LcErrorKind.DailyLimitReached, e.Kind);
            Assert.Contains("next probe request goes at", e.Message);
            Assert.Single(h.Requests);
        }
    }
}
