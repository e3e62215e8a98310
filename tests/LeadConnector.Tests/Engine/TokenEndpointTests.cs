using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>How the client treats the OAuth token endpoint: not paced as an API call, and never quoted in an error.</summary>
    public class TokenEndpointTests
    {
        private const string FreshAccess = "at-fresh-SECRET-0123456789abcdef";
        private const string FreshRefresh = "rt-fresh-SECRET-0123456789abcdef";

        private static ConnectionOptions OAuth(FakeHandler handler) => new ConnectionOptions
        {
            ClientId = "client-1",
            ClientSecret = "client-secret-0123456789",
            RefreshToken = "rt-initial-0123456789abcdef",
            LocationId = "loc-1",
            BaseUri = new Uri("https://api.example.test/"),
            MaxRetries = 0,
        };

        [Theory]
        [InlineData("{\"access_token\":\"" + FreshAccess + "\",\"refresh_token\":\"" + FreshRefresh + "\",\"expires_in\":86", "is not valid JSON")]
        [InlineData("{\"access_token\":\"" + FreshAccess + "\",\"refresh_token\":\"" + FreshRefresh + "\",\"x\":\"\\uD800\"}", "not valid text")]
        public async Task A_malformed_token_answer_is_an_error_that_never_quotes_the_tokens(string body, string what)
        {
            var handler = new FakeHandler((_, _) => FakeHandler.Json(200, body));
            var ex = await Assert.ThrowsAsync<LcException>(() => Connection.ConnectAsync(OAuth(handler), new LcCall(CancellationToken.None), new EngineServices(handler: handler)));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains(what, ex.Message);
            Assert.Contains("not shown", ex.Message);
            foreach (var text in new[] { ex.Message, ex.BodySnippet ?? "", ex.ToString() })
            {
                Assert.DoesNotContain(FreshAccess, text);
                Assert.DoesNotContain(FreshRefresh, text);
            }
        }

        [Fact]
        public async Task Token_requests_are_not_paced_and_do_not_teach_the_gate_their_headers()
        {
            // The token endpoint answers with rate-limit headers of its own (here: a window of 1 request, none left). Were
            // token requests paced and learned from, the API call after it would be held for the whole window.
            var handler = new FakeHandler((req, _) => req.Uri.AbsolutePath.Contains("/oauth/")
                ? FakeHandler.Json(200, "{\"access_token\":\"" + FreshAccess + "\",\"refresh_token\":\"" + FreshRefresh + "\",\"expires_in\":86399,\"locationId\":\"loc-1\"}",
                    ("X-RateLimit-Max", "1"), ("X-RateLimit-Interval-Milliseconds", "60000"), ("X-RateLimit-Remaining", "0"))
                : FakeHandler.Json(200, "{\"conversation\":{\"id\":\"c1\"}}"));
            var options = OAuth(handler);
            options.LocationId = "loc-token-gate-" + Guid.NewGuid().ToString("N");
            var connection = await Connection.ConnectAsync(options, new LcCall(CancellationToken.None), new EngineServices(handler: handler));
            // Cancelled after 30 s: long for a loaded machine, yet short of the 60 s window it would be held for.
            var get = new ConversationOperations(connection).GetAsync("c1", new LcCall(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));
            var c = await get;
            Assert.Equal("c1", c.Id);
            Assert.Equal(100, connection.Client.Gate.Max); // still the default: nothing learned from the token answer
            Assert.Equal(2, handler.Requests.Count);
            Assert.Contains("/oauth/", handler.Requests[0].Uri.AbsolutePath);
        }
    }
}
