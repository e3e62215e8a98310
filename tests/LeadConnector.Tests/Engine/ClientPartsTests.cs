using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using RestSharp;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The client's parts, each alone: one attempt over the transport, the classifier's verdict on what came back, and
    /// the retry policy's decision on a failure. (How they work together: the other engine tests, through a connection.)
    /// </summary>
    public class ClientPartsTests
    {
        private const string Secret = "pit-parts-SECRET-0123456789";
        private static readonly Uri Base = new Uri("https://api.example.test/v2/");

        private static ResponseClassifier Classifier(TimeProvider? time = null) =>
            new ResponseClassifier(new Redactor(Secret), time ?? TimeProvider.System, Base, 7);

        private static Answer Answer(int status, string body, params (string, string)[] headers) =>
            new Answer(FakeHandler.Json(status, body, headers), Encoding.UTF8.GetBytes(body));

        // ------------------------------------------------------------------ the transport

        [Fact]
        public async Task The_transport_sends_one_request_with_its_headers_and_body_and_returns_the_whole_answer()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(201, "{\"id\":\"c1\"}", ("X-RateLimit-Remaining", "99")));
            var transport = new RestTransport(Base, h);

            var answer = await transport.SendAsync(HttpMethod.Post, "conversations/?a=b%20c", new RequestBody("{\"x\":1}", ContentType.Json),
                "Bearer " + Secret, "2021-07-28", "/v2/conversations/", CancellationToken.None);

            var sent = Assert.Single(h.Requests);
            Assert.Equal("POST", sent.Method);
            Assert.Equal("https://api.example.test/v2/conversations/?a=b%20c", sent.Uri.OriginalString);
            Assert.Equal("Bearer " + Secret, sent.Headers["Authorization"]);
            Assert.Equal("2021-07-28", sent.Headers["Version"]);
            Assert.Equal("{\"x\":1}", sent.Body);
            Assert.Equal(201, answer.Status);
            Assert.Equal("{\"id\":\"c1\"}", Encoding.UTF8.GetString(answer.Body));
            Assert.Equal(99, RateLimitHeaders.Read(answer.Headers, RateLimitHeaders.Remaining));
        }

        [Fact]
        public async Task The_transport_returns_an_error_answer_and_throws_a_transport_failure_as_it_came()
        {
            var notFound = new RestTransport(Base, new FakeHandler((_, _) => FakeHandler.Json(404, "{}")));
            var answer = await notFound.SendAsync(HttpMethod.Get, "x", null, null, "v", "/v2/x", CancellationToken.None);
            Assert.Equal(404, answer.Status);

            var refused = new RestTransport(Base, new FakeHandler((_, _) => throw new HttpRequestException("no", new SocketException((int)SocketError.ConnectionRefused))));
            var ex = await Assert.ThrowsAsync<HttpRequestException>(() => refused.SendAsync(HttpMethod.Get, "x", null, null, "v", "/v2/x", CancellationToken.None));
            Assert.IsType<SocketException>(ex.InnerException);
        }

        // ------------------------------------------------------------------ the classifier

        [Fact]
        public void A_success_is_no_failure_and_an_error_answer_is_the_APIs_error_without_the_token()
        {
            var classify = Classifier();
            Assert.Null(classify.Classify(Answer(200, "{}"), null, "GET", "/v2/x", null));

            var failure = classify.Classify(Answer(422, "{\"statusCode\":422,\"message\":[\"bad " + Secret + "\",\"worse\"],\"traceId\":\"t-1\"}"), null, "POST", "/v2/x", null)!;
            Assert.Equal(FailureKind.Status, failure.Kind);
            Assert.Equal(422, failure.Status);
            Assert.Equal(LcErrorKind.InvalidRequest, failure.Error.Kind);
            Assert.Equal(new[] { "bad ***", "worse" }, failure.Error.Messages);
            Assert.Equal("t-1", failure.Error.TraceId);
            Assert.DoesNotContain(Secret, failure.Error.Message);
        }

        [Fact]
        public void A_429_carries_what_the_retry_policy_needs_and_a_spent_daily_quota_is_its_own_failure()
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero));
            var classify = Classifier(clock);
            var limited = Answer(429, "{}", ("Retry-After", "3"), (RateLimitHeaders.IntervalMs, "2000"));
            var retryAfter = classify.RetryAfter(limited.Headers);
            Assert.Equal(TimeSpan.FromSeconds(3), retryAfter);
            var failure = classify.Classify(limited, retryAfter, "GET", "/v2/x", null)!;
            Assert.Equal(LcErrorKind.RateLimited, failure.Error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(2), failure.Interval);
            Assert.Equal(clock.GetUtcNow().AddSeconds(3), failure.Error.RetryAt);

            var spent = classify.Classify(Answer(429, "{}", (RateLimitHeaders.DailyRemaining, "0")), null, "GET", "/v2/x", null)!;
            Assert.Equal(FailureKind.DailyQuota, spent.Kind);
            Assert.Equal(LcErrorKind.DailyLimitReached, spent.Error.Kind);
            Assert.Equal(clock.GetUtcNow() + DailyQuota.ProbeInterval, spent.Error.RetryAt);
        }

        [Fact]
        public void Transport_exceptions_become_timeouts_or_network_failures_and_others_are_not_the_classifiers()
        {
            var classify = Classifier();
            var timeout = classify.FromException(new TaskCanceledException(), "GET", "/v2/x")!;
            Assert.Equal(FailureKind.Timeout, timeout.Kind);
            Assert.Contains("timed out after 7 s", timeout.Error.Message);

            var refused = classify.FromException(new HttpRequestException("no " + Secret, new SocketException((int)SocketError.ConnectionRefused)), "GET", "/v2/x")!;
            Assert.Equal(FailureKind.ConnectionRefused, refused.Kind);
            Assert.Contains("api.example.test was refused", refused.Error.Message);
            Assert.DoesNotContain(Secret, refused.Error.Message);

            Assert.Null(classify.FromException(new InvalidOperationException("a bug"), "GET", "/v2/x"));
        }

        [Fact]
        public void A_2xx_body_the_reader_cannot_read_is_an_invalid_response_quoted_unless_it_is_a_token_answer()
        {
            var classify = Classifier();
            var body = Encoding.UTF8.GetBytes("{\"access_token\":\"at-SECRET\",");
            var quoted = Assert.Throws<LcException>(() => classify.Read(body, 200, "GET", "/v2/x", b => JsonText.Decodable(b), quoteBody: true));
            Assert.Equal(LcErrorKind.InvalidResponse, quoted.Kind);
            Assert.Contains("is not valid JSON: '{\"access_token\"", quoted.Message);

            var token = Assert.Throws<LcException>(() => classify.Read(body, 200, "POST", "/v2/oauth/token", b => TokenGrant.Read(b, "oauth/token"), quoteBody: false));
            Assert.Contains("not shown: a token answer", token.Message);
            Assert.DoesNotContain("at-SECRET", token.ToString());
        }

        // ------------------------------------------------------------------ the retry policy

        private static readonly RetryPolicy Policy = new RetryPolicy(2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));

        private static Failure Status(int status, TimeSpan? retryAfter = null) =>
            new Failure(new LcException(ApiErrors.KindFor(status), $"HTTP {status}", statusCode: status), FailureKind.Status, status, retryAfter);

        [Fact]
        public void A_retryable_failure_waits_as_Delay_says_until_the_retries_run_out()
        {
            Assert.Null(Policy.Decide(HttpMethod.Get, 1, Status(503), TimeSpan.Zero, 0.5, out var first));
            Assert.Equal(RetryPolicy.Delay(1, Policy.BaseDelay, Policy.MaxDelay, null, null, 0.5), first);
            Assert.Null(Policy.Decide(HttpMethod.Get, 2, Status(429, TimeSpan.FromSeconds(4)), TimeSpan.Zero, 0, out var second));
            Assert.Equal(TimeSpan.FromSeconds(4), second);

            var last = Policy.Decide(HttpMethod.Get, 3, Status(503), TimeSpan.Zero, 0.5, out _)!;
            Assert.Equal(3, last.Attempts);
            Assert.Equal("HTTP 503 (after 3 attempts)", last.Message);
        }

        [Fact]
        public void What_is_not_retried_is_given_up_at_once_and_the_budget_stops_a_wait_that_would_pass_it()
        {
            var notFound = Policy.Decide(HttpMethod.Get, 1, Status(404), TimeSpan.Zero, 0.5, out _)!;
            Assert.Equal("HTTP 404", notFound.Message);
            Assert.Equal(1, notFound.Attempts);
            Assert.NotNull(Policy.Decide(HttpMethod.Post, 1, Status(503), TimeSpan.Zero, 0.5, out _));
            var daily = new Failure(DailyQuota.Error(null, DateTimeOffset.UtcNow, "GET", "/x"), FailureKind.DailyQuota, 429);
            Assert.Equal(LcErrorKind.DailyLimitReached, Policy.Decide(HttpMethod.Get, 1, daily, TimeSpan.Zero, 0.5, out _)!.Kind);

            var budget = Policy.Decide(HttpMethod.Get, 1, Status(429, TimeSpan.FromSeconds(20)), TimeSpan.FromSeconds(15), 0, out _)!;
            Assert.Contains("Gave up: waiting 20.0 s more would pass the 30 s retry budget (MaxRetryTimeSec).", budget.Message);
        }
    }
}
