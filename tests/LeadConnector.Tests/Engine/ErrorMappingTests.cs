using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Every API failure becomes one exception type with its facts, and one PowerShell error id and category.</summary>
    public class ErrorMappingTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static async System.Threading.Tasks.Task<LcException> Fail(int status, string body, string contentType = "application/json", int maxRetries = 0)
        {
            var h = new FakeHandler((_, _) => new HttpResponseMessage((System.Net.HttpStatusCode)status)
            {
                Content = new StringContent(body, Encoding.UTF8, contentType),
            });
            return await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h, maxRetries)).GetAsync("c1", Call));
        }

        // The error id and category of each status are the cmdlet layer's: checked in real PowerShell, as the ErrorRecord a
        // user gets, by ErrorRecordCmdletTests.Each_status_gives_its_error_id_and_category.
        [Theory]
        [InlineData(400, LcErrorKind.InvalidRequest)]
        [InlineData(422, LcErrorKind.InvalidRequest)]
        [InlineData(401, LcErrorKind.Unauthorized)]
        [InlineData(403, LcErrorKind.Forbidden)]
        [InlineData(404, LcErrorKind.NotFound)]
        [InlineData(429, LcErrorKind.RateLimited)]
        [InlineData(500, LcErrorKind.ServerError)]
        [InlineData(503, LcErrorKind.ServerError)]
        public async System.Threading.Tasks.Task Status_maps_to_its_kind_with_messages_trace_id_method_and_path(int status, LcErrorKind kind)
        {
            var ex = await Fail(status, "{\"statusCode\":" + status + ",\"message\":\"Boom\",\"traceId\":\"tr-1\"}");
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(status, ex.StatusCode);
            Assert.Equal(new[] { "Boom" }, ex.Messages);
            Assert.Equal("tr-1", ex.TraceId);
            Assert.Equal("GET", ex.Method);
            Assert.Equal("/conversations/c1", ex.Path);
            Assert.Contains("Boom", ex.Message);
            Assert.Contains($"HTTP {status}", ex.Message);
            Assert.Contains("traceId tr-1", ex.Message);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_422_carries_every_message_of_its_array()
        {
            var ex = await Fail(422, "{\"statusCode\":422,\"message\":[\"locationId should not be empty\",\"contactId must be a string\"],\"error\":\"Unprocessable Entity\"}");
            Assert.Equal(2, ex.Messages.Count);
            Assert.Contains("locationId should not be empty", ex.Message);
            Assert.Contains("contactId must be a string", ex.Message);
            Assert.Contains("HTTP 422 Unprocessable Entity", ex.Message);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_401_says_what_the_API_said_and_leaves_the_advice_to_the_recommended_action()
        {
            var ex = await Fail(401, "{\"statusCode\":401,\"message\":\"Invalid token: access token is invalid\",\"error\":\"Unauthorized\"}");
            Assert.Contains("Invalid token", ex.Message);
            Assert.Equal(LcErrorKind.Unauthorized, ex.Kind);
            // The advice (run Connect-Lc again) is the ErrorRecord's RecommendedAction, said once (issue 16).
            Assert.DoesNotContain("Connect-Lc", ex.Message);
            // That a 401 stops the command is the cmdlet layer's: ConversationCmdletTests.A_bad_token_stops_the_pipeline...
        }

        [Fact]
        public async System.Threading.Tasks.Task An_html_error_page_is_reported_with_status_and_first_bytes()
        {
            var ex = await Fail(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
            Assert.Equal(LcErrorKind.ServerError, ex.Kind);
            Assert.Contains("HTTP 502", ex.Message);
            Assert.Contains("<html><body><h1>502 Bad Gateway", ex.Message);
            Assert.Empty(ex.Messages);
        }

        [Fact]
        public async System.Threading.Tasks.Task An_empty_error_body_still_gives_the_status()
        {
            var ex = await Fail(500, "");
            Assert.Contains("HTTP 500", ex.Message);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_2xx_that_is_not_json_is_an_invalid_response_with_the_first_bytes()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, "{\"id\":\"c1\",\"loca"));
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h)).GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Equal(200, ex.StatusCode);
            Assert.Contains("{\"id\":\"c1\",\"loca", ex.Message);
            Assert.Single(h.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_redirect_is_not_followed()
        {
            var h = new FakeHandler((_, _) =>
            {
                var r = new HttpResponseMessage(System.Net.HttpStatusCode.Found);
                r.Headers.Location = new Uri("https://elsewhere.example/");
                return r;
            });
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h)).GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Single(h.Requests);
        }
    }
}
