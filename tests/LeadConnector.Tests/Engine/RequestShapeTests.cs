using System;
using System.Collections;
using System.Linq;
using System.Text.Json;
using System.Threading;
using LeadConnector.Tests.Infrastructure;
using LeadConnector.Engine;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Method, path, query, headers and body exactly as the contract says.</summary>
    public class RequestShapeTests
    {
        private const string Conv = "{\"id\":\"c1\",\"locationId\":\"loc-alpha\",\"contactId\":\"k1\",\"type\":1}";
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static (FakeHandler, Connection) Setup(string body = Conv)
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, body));
            return (h, TestConnections.Fake(h));
        }

        [Fact]
        public async System.Threading.Tasks.Task Get_sends_bearer_version_and_accept_headers_to_the_id_path()
        {
            var (h, c) = Setup();
            await new ConversationOperations(c).GetAsync("c1", Call);
            var r = Assert.Single(h.Requests);
            Assert.Equal("GET", r.Method);
            Assert.Equal("https://api.example.test/conversations/c1", r.Uri.ToString());
            Assert.Equal("Bearer " + TestConnections.Token, r.Headers["Authorization"]);
            Assert.Equal("2021-07-28", r.Headers["Version"]);
            Assert.Contains("application/json", r.Headers["Accept"]);
            Assert.Null(r.Body);
        }

        [Fact]
        public async System.Threading.Tasks.Task Api_version_and_base_path_are_the_connections()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, Conv));
            var c = Connection.Create(new ConnectionOptions
            {
                AccessToken = "pit-x", BaseUri = new Uri("https://proxy.example.test/lc"), ApiVersion = "2021-04-15",
            }, new EngineServices(handler: h, pacing: false));
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.Equal("https://proxy.example.test/lc/conversations/c1", h.Requests[0].Uri.ToString());
            Assert.Equal("2021-04-15", h.Requests[0].Headers["Version"]);
        }

        [Fact]
        public async System.Threading.Tasks.Task Create_posts_location_and_contact_as_json()
        {
            var (h, c) = Setup("{\"success\":true,\"conversation\":" + Conv + "}");
            await new ConversationOperations(c).CreateAsync(null, "k1", Call);
            var r = h.Requests[0];
            Assert.Equal("POST", r.Method);
            Assert.Equal("/conversations/", r.Uri.AbsolutePath);
            Assert.StartsWith("application/json", r.Headers["Content-Type"]);
            using var body = JsonDocument.Parse(r.Body!);
            Assert.Equal("loc-alpha", body.RootElement.GetProperty("locationId").GetString());
            Assert.Equal("k1", body.RootElement.GetProperty("contactId").GetString());
            Assert.Equal(2, body.RootElement.EnumerateObject().Count());
        }

        [Fact]
        public async System.Threading.Tasks.Task Update_puts_only_the_given_fields_with_the_location()
        {
            var (h, c) = Setup("{\"success\":true,\"conversation\":" + Conv + "}");
            var feedback = new Hashtable { ["rating"] = 5, ["note"] = "ok", ["tags"] = new[] { "a", "b" } };
            await new ConversationOperations(c).UpdateAsync("c1", new ConversationUpdate { Starred = false, Feedback = feedback, LocationId = "loc-beta" }, Call);
            var r = h.Requests[0];
            Assert.Equal("PUT", r.Method);
            Assert.Equal("/conversations/c1", r.Uri.AbsolutePath);
            using var body = JsonDocument.Parse(r.Body!);
            var root = body.RootElement;
            Assert.Equal("loc-beta", root.GetProperty("locationId").GetString());
            Assert.False(root.GetProperty("starred").GetBoolean());
            Assert.False(root.TryGetProperty("unreadCount", out _));
            Assert.Equal(5, root.GetProperty("feedback").GetProperty("rating").GetInt32());
            Assert.Equal("b", root.GetProperty("feedback").GetProperty("tags")[1].GetString());
        }

        [Fact]
        public async System.Threading.Tasks.Task Delete_sends_delete_to_the_id_path()
        {
            var (h, c) = Setup("{\"success\":true}");
            await new ConversationOperations(c).DeleteAsync("c1", Call);
            Assert.Equal("DELETE", h.Requests[0].Method);
            Assert.Equal("/conversations/c1", h.Requests[0].Uri.AbsolutePath);
        }

        [Fact]
        public async System.Threading.Tasks.Task Search_sends_every_filter_escaped_with_limit_and_cursor()
        {
            var (h, c) = Setup("{\"conversations\":[],\"total\":0}");
            var q = new ConversationQuery
            {
                ContactId = "k1", AssignedTo = new[] { "u1", "u2" }, Query = "Smith & Co?x=1#frag", Status = "unread",
                LastMessageType = "TYPE_SMS", LastMessageDirection = "inbound", Sort = "asc", SortBy = "last_message_date",
                StartDate = DateTimeOffset.FromUnixTimeMilliseconds(1640995200000), EndDate = DateTimeOffset.FromUnixTimeMilliseconds(1672531199000),
            };
            await new ConversationOperations(c).SearchAsync(q, 50, "1700000000000", Call);
            var uri = h.Requests[0].Uri;
            Assert.Equal("/conversations/search", uri.AbsolutePath);
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            Assert.Equal("loc-alpha", query["locationId"]);
            Assert.Equal("k1", query["contactId"]);
            Assert.Equal("u1,u2", query["assignedTo"]);
            Assert.Equal("Smith & Co?x=1#frag", query["query"]);
            Assert.Null(query["x"]);
            Assert.Equal("unread", query["status"]);
            Assert.Equal("TYPE_SMS", query["lastMessageType"]);
            Assert.Equal("inbound", query["lastMessageDirection"]);
            Assert.Equal("asc", query["sort"]);
            Assert.Equal("last_message_date", query["sortBy"]);
            Assert.Equal("1640995200000", query["startDate"]);
            Assert.Equal("1672531199000", query["endDate"]);
            Assert.Equal("50", query["limit"]);
            Assert.Equal("1700000000000", query["startAfterDate"]);
            Assert.Equal(13, query.Count);
            Assert.Empty(uri.Fragment);
        }

        [Fact]
        public async System.Threading.Tasks.Task Email_message_get_uses_the_messages_path()
        {
            var (h, c) = Setup("{\"id\":\"e1\"}");
            var m = await new MessageOperations(c).GetEmailAsync("e1", Call);
            Assert.Equal("/conversations/messages/email/e1", h.Requests[0].Uri.AbsolutePath);
            Assert.Equal("e1", m.Id);
        }

        [Theory]
        [InlineData("")]
        [InlineData("/")]
        [InlineData("a/b")]
        [InlineData("..")]
        [InlineData("../search")]
        [InlineData("a?x=1")]
        [InlineData("a#b")]
        [InlineData("a%2fb")]
        [InlineData("a b")]
        [InlineData(" a")]
        [InlineData("a\r\nX-Evil: 1")]
        [InlineData("a\u0000")]
        [InlineData("a\u2215b")]   // division slash, a '/' look-alike
        [InlineData("a\uFF0Fb")]   // fullwidth solidus
        [InlineData("ａｂｃ")]      // fullwidth letters
        [InlineData("a\\b")]
        [InlineData("a.b")]
        public async System.Threading.Tasks.Task Ids_that_could_change_the_request_are_refused_before_sending(string id)
        {
            var (h, c) = Setup();
            var ops = new ConversationOperations(c);
            var ex = await Assert.ThrowsAsync<LcException>(() => ops.GetAsync(id, Call));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            await Assert.ThrowsAsync<LcException>(() => ops.UpdateAsync(id, new ConversationUpdate { Starred = true }, Call));
            await Assert.ThrowsAsync<LcException>(() => ops.DeleteAsync(id, Call));
            await Assert.ThrowsAsync<LcException>(() => ops.CreateAsync(null, id, Call));
            await Assert.ThrowsAsync<LcException>(() => ops.SearchAsync(new ConversationQuery { ContactId = id }, null, null, Call));
            await Assert.ThrowsAsync<LcException>(() => new MessageOperations(c).GetEmailAsync(id, Call));
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task Control_characters_in_query_values_are_refused()
        {
            var (h, c) = Setup();
            var ex = await Assert.ThrowsAsync<LcException>(() =>
                new ConversationOperations(c).SearchAsync(new ConversationQuery { Query = "a\r\nb" }, null, null, Call));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_location_is_required_from_the_call_or_the_connection()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, Conv));
            var c = TestConnections.Fake(h, location: null);
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(c).CreateAsync(null, "k1", Call));
            Assert.Contains("-LocationId", ex.Message);
            Assert.Empty(h.Requests);
        }
    }
}
