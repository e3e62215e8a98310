using System;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    public class RetryPolicyTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);
        private static readonly ResponseClassifier Classifier = new ResponseClassifier(new Redactor(), TimeProvider.System, new Uri("https://api.example.test/"), 100);

        [Theory]
        [InlineData("GET", 429, true)]
        [InlineData("PUT", 503, true)]
        [InlineData("DELETE", 502, true)]
        [InlineData("GET", 504, true)]
        [InlineData("GET", 500, false)]
        [InlineData("GET", 404, false)]
        [InlineData("POST", 429, true)]
        [InlineData("POST", 502, false)]
        [InlineData("POST", 503, false)]
        [InlineData("POST", 504, false)]
        public void Status_retry_rules(string method, int status, bool retry) =>
            Assert.Equal(retry, RetryPolicy.ShouldRetry(new HttpMethod(method), FailureKind.Status, status));

        [Theory]
        [InlineData("GET", "Timeout", true)]
        [InlineData("PUT", "Network", true)]
        [InlineData("POST", "Timeout", false)]
        [InlineData("POST", "Network", false)]
        [InlineData("POST", "ConnectionRefused", true)]
        [InlineData("GET", "Tls", false)]
        public void Failure_retry_rules(string method, string failure, bool retry) =>
            Assert.Equal(retry, RetryPolicy.ShouldRetry(new HttpMethod(method), Enum.Parse<FailureKind>(failure), null));

        [Fact]
        public void Backoff_grows_exponentially_with_jitter_and_a_ceiling()
        {
            var b = TimeSpan.FromSeconds(1);
            var max = TimeSpan.FromSeconds(30);
            Assert.Equal(TimeSpan.FromMilliseconds(500), RetryPolicy.Delay(1, b, max, null, null, 0));
            Assert.Equal(TimeSpan.FromMilliseconds(1000), RetryPolicy.Delay(1, b, max, null, null, 1));
            Assert.Equal(TimeSpan.FromMilliseconds(4000), RetryPolicy.Delay(3, b, max, null, null, 1));
            Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.Delay(20, b, max, null, null, 1));
            Assert.Equal(TimeSpan.FromSeconds(15), RetryPolicy.Delay(20, b, max, null, null, 0));
        }

        [Fact]
        public void Retry_after_and_the_interval_header_are_honoured()
        {
            var b = TimeSpan.FromSeconds(1);
            var max = TimeSpan.FromSeconds(30);
            Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.Delay(1, b, max, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(10), 0));
            Assert.True(RetryPolicy.Delay(1, b, max, TimeSpan.FromSeconds(7), null, 1) >= TimeSpan.FromSeconds(7));
            Assert.Equal(TimeSpan.FromSeconds(10), RetryPolicy.Delay(1, b, max, null, TimeSpan.FromSeconds(10), 0));
        }

        [Fact]
        public void Retry_after_reads_seconds_and_http_dates()
        {
            var r = new HttpResponseMessage();
            r.Headers.TryAddWithoutValidation("Retry-After", "12");
            Assert.Equal(TimeSpan.FromSeconds(12), Classifier.RetryAfter(r.Headers));
            var d = new HttpResponseMessage();
            d.Headers.TryAddWithoutValidation("Retry-After", DateTimeOffset.UtcNow.AddSeconds(30).ToString("R"));
            var wait = Classifier.RetryAfter(d.Headers)!.Value;
            Assert.InRange(wait.TotalSeconds, 25, 31);
            var bad = new HttpResponseMessage();
            bad.Headers.TryAddWithoutValidation("Retry-After", "soon");
            Assert.Null(Classifier.RetryAfter(bad.Headers));
        }

        [Fact]
        public void Connection_refused_is_told_apart_from_other_network_errors()
        {
            Assert.Equal(FailureKind.ConnectionRefused, ResponseClassifier.Kind(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
            Assert.Equal(FailureKind.Network, ResponseClassifier.Kind(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionReset))));
            Assert.Equal(FailureKind.Tls, ResponseClassifier.Kind(new HttpRequestException("x", new System.Security.Authentication.AuthenticationException("bad cert"))));
        }

        [Fact]
        public async System.Threading.Tasks.Task Get_retries_503_then_succeeds_and_says_so()
        {
            var h = new FakeHandler((_, n) => n < 2 ? FakeHandler.Json(503, "{\"message\":\"busy\"}") : FakeHandler.Json(200, "{\"id\":\"c1\"}"));
            var trace = new ListTrace();
            var c = await new ConversationOperations(TestConnections.Fake(h)).GetAsync("c1", new LcCall(CancellationToken.None, trace));
            Assert.Equal("c1", c.Id);
            Assert.Equal(3, h.Requests.Count);
            var retries = trace.Verbose.Where(v => v.StartsWith("Retrying")).ToList();
            Assert.Equal(2, retries.Count);
            Assert.Contains("GET /conversations/c1", retries[0]);
            Assert.Contains("attempt 2 of 4", retries[0]);
            Assert.Contains("HTTP 503", retries[0]);
            Assert.Matches(@"in \d+\.\d s", retries[0]);
        }

        [Fact]
        public async System.Threading.Tasks.Task Post_is_not_retried_after_a_5xx()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(503, "{\"message\":\"busy\"}"));
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h)).CreateAsync(null, "k1", Call));
            Assert.Equal(LcErrorKind.ServerError, ex.Kind);
            Assert.Single(h.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task Post_is_retried_after_a_429()
        {
            var h = new FakeHandler((_, n) => n == 0 ? FakeHandler.Json(429, "{}") : FakeHandler.Json(200, "{\"success\":true,\"conversation\":{\"id\":\"c9\"}}"));
            var c = await new ConversationOperations(TestConnections.Fake(h)).CreateAsync(null, "k1", Call);
            Assert.Equal("c9", c.Id);
            Assert.Equal(2, h.Requests.Count);
        }

        [Fact]
        public async System.Threading.Tasks.Task MaxRetries_zero_turns_retries_off_and_the_error_counts_attempts()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(503, "{}"));
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h, maxRetries: 0)).GetAsync("c1", Call));
            Assert.Single(h.Requests);
            Assert.Equal(1, ex.Attempts);

            var h2 = new FakeHandler((_, _) => FakeHandler.Json(503, "{}"));
            var ex2 = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h2, maxRetries: 2)).GetAsync("c1", Call));
            Assert.Equal(3, h2.Requests.Count);
            Assert.Equal(3, ex2.Attempts);
            Assert.Contains("after 3 attempts", ex2.Message);
        }

        [Fact]
        public async System.Threading.Tasks.Task The_retry_budget_stops_waits_that_would_pass_it()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(429, "{}", ("Retry-After", "3600")));
            var c = Connection.Create(new ConnectionOptions { AccessToken = "pit-budget", MaxRetryTimeSec = 10, LocationId = "l" }, new EngineServices(handler: h, pacing: false));
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(c).GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.RateLimited, ex.Kind);
            Assert.Contains("MaxRetryTimeSec", ex.Message);
            Assert.Single(h.Requests);
            Assert.NotNull(ex.RetryAt);
        }

        internal sealed class ListTrace : ILcTrace
        {
            public System.Collections.Concurrent.ConcurrentQueue<string> VerboseQ { get; } = new();
            public System.Collections.Concurrent.ConcurrentQueue<string> DebugQ { get; } = new();
            public string[] Verbose => VerboseQ.ToArray();
            public string[] Debug => DebugQ.ToArray();
            void ILcTrace.Verbose(string message) => VerboseQ.Enqueue(message);
            void ILcTrace.Debug(string message) => DebugQ.Enqueue(message);
        }
    }
}
