using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    public class FaultHeaderTests : EmulatorHttp
    {
        public FaultHeaderTests(EmulatorFixture emu) : base(emu) { }

        [Fact]
        public async Task RateLimited_fault_sends_the_rules_headers_overriding_the_computed_ones()
        {
            State.Faults.Add(new FaultRule
            {
                Kind = FaultKind.RateLimited, Count = 1, PathPrefix = "/conversations/conv-a001",
                Headers = new Dictionary<string, string> { ["X-RateLimit-Daily-Remaining"] = "0", ["Retry-After"] = "1", ["X-Custom"] = "yes" },
            });
            var (status, body, response) = await Get("/conversations/conv-a001");
            Assert.Equal((HttpStatusCode)429, status);
            Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Daily-Remaining").Single());
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("yes", response.Headers.GetValues("X-Custom").Single());
            Assert.Equal("Daily limit reached", body.GetProperty("message").GetString());
            // The computed headers are still there when the rule does not override them.
            Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        [Fact]
        public async Task RateLimited_fault_added_through_the_control_endpoint_keeps_its_headers()
        {
            var (added, _, _) = await Control(HttpMethod.Post, "/faults",
                new { kind = "RateLimited", count = 1, headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });
            Assert.Equal(HttpStatusCode.OK, added);
            var (status, _, response) = await Get("/conversations/conv-a001");
            Assert.Equal((HttpStatusCode)429, status);
            Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        }

        public static IEnumerable<object[]> Unappliable() => new[]
        {
            new object[] { FaultKind.DropConnection, "Retry-After", "1", "sends no response" },
            new object[] { FaultKind.Delay, "Retry-After", "1", "sends no response" },
            new object[] { FaultKind.Status, "Bad Name", "1", "not a valid HTTP header name" },
            new object[] { FaultKind.RateLimited, "X-A:B", "1", "not a valid HTTP header name" },
            new object[] { FaultKind.Status, "", "1", "not a valid HTTP header name" },
            new object[] { FaultKind.Status, "X-Evil", "a\r\nSet-Cookie: x=1", "control or non-ASCII" },
            new object[] { FaultKind.Garbage, "X-Evil", "a\nb", "control or non-ASCII" },
            new object[] { FaultKind.RateLimited, "X-Evil", "a\u0001b", "control or non-ASCII" },
            new object[] { FaultKind.TruncatedBody, "Content-Length", "5", "computes it" },
        };

        [Theory]
        [MemberData(nameof(Unappliable))]
        public async Task A_rule_whose_headers_cannot_be_applied_is_refused_when_added(FaultKind kind, string name, string value, string why)
        {
            var rule = new FaultRule { Kind = kind, Headers = new Dictionary<string, string> { [name] = value } };
            var ex = Assert.ThrowsAny<System.ArgumentException>(() => State.Faults.Add(rule));
            Assert.Contains(why, ex.Message);
            Assert.Empty(State.Faults.Rules);

            var (status, body, _) = await Control(HttpMethod.Post, "/faults",
                new { kind = kind.ToString(), headers = new Dictionary<string, string> { [name] = value } });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(why, body.GetProperty("error").GetString());
            Assert.Empty(State.Faults.Rules);
        }
    }
}
