using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Tests.Infrastructure;
using LeadConnector.Engine;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Messages, contacts and raw requests: the readers (both list shapes, three date encodings) and request shapes.</summary>
    public class MessageContactRawTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private const string Msg1 = "{\"id\":\"m1\",\"type\":2,\"messageType\":\"TYPE_SMS\",\"conversationId\":\"c1\",\"dateAdded\":\"2023-10-01T12:00:00Z\",\"body\":\"hi\",\"direction\":\"inbound\"}";
        private const string Msg2 = "{\"id\":\"m2\",\"type\":3,\"messageType\":\"TYPE_EMAIL\",\"conversationId\":\"c1\",\"dateAdded\":\"1628008053263\",\"meta\":{\"email\":{\"messageIds\":[\"e2\"],\"subject\":\"S\"}}}";
        private const string Msg3 = "{\"id\":\"m3\",\"type\":1,\"messageType\":\"TYPE_CALL\",\"conversationId\":\"c1\",\"dateAdded\":1628008053263}";

        private static (FakeHandler, Connection) Setup(Func<SentRequest, int, string> body, string baseUri = "https://api.example.test")
        {
            var h = new FakeHandler((r, n) => FakeHandler.Json(200, body(r, n)));
            var c = Connection.Create(new ConnectionOptions { AccessToken = TestConnections.Token, BaseUri = new Uri(baseUri), LocationId = "loc-alpha", MaxRetries = 0 }, new EngineServices(handler: h, pacing: false));
            return (h, c);
        }

        [Theory]
        [InlineData("{\"lastMessageId\":\"m3\",\"nextPage\":true,\"messages\":[" + Msg1 + "," + Msg2 + "," + Msg3 + "]}")]
        [InlineData("{\"messages\":{\"lastMessageId\":\"m3\",\"nextPage\":true,\"messages\":[" + Msg1 + "," + Msg2 + "," + Msg3 + "]}}")]
        public async Task List_reads_the_flat_and_the_double_nested_body(string json)
        {
            var (h, c) = Setup((_, _) => json);
            var page = await new MessageOperations(c).ListAsync("c1", null, null, null, Call);

            Assert.Equal(new[] { "m1", "m2", "m3" }, page.Items.Select(m => m.Id));
            Assert.Equal("m3", page.NextCursor);
            Assert.True(page.HasMore);
            Assert.Equal("https://api.example.test/conversations/c1/messages", h.Requests[0].Uri.ToString());
        }

        [Fact]
        public void Message_dates_read_all_three_encodings_as_utc()
        {
            var page = MessageOperations.ReadMessagePage(System.Text.Encoding.UTF8.GetBytes("{\"messages\":[" + Msg1 + "," + Msg2 + "," + Msg3 + "]}"), "p");
            Assert.Equal(new DateTimeOffset(2023, 10, 1, 12, 0, 0, TimeSpan.Zero), page.Items[0].DateAdded);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1628008053263), page.Items[1].DateAdded);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1628008053263), page.Items[2].DateAdded);
            Assert.All(page.Items, m => Assert.Equal(TimeSpan.Zero, m.DateAdded!.Value.Offset));
            Assert.Equal(new[] { "e2" }, page.Items[1].EmailMessageIds);
            Assert.Equal("S", page.Items[1].Subject);
            Assert.True(page.Items[1].IsEmail);
            Assert.Equal(2, page.Items[0].Type);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"messages\":5}")]
        [InlineData("{\"messages\":{\"messages\":\"x\"}}")]
        public void A_body_without_a_messages_array_is_an_invalid_response(string json)
        {
            var ex = Assert.Throws<LcException>(() => MessageOperations.ReadMessagePage(System.Text.Encoding.UTF8.GetBytes(json), "p"));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
        }

        [Fact]
        public async Task List_sends_cursor_limit_and_one_comma_separated_type()
        {
            var (h, c) = Setup((_, _) => "{\"messages\":[]}");
            await new MessageOperations(c).ListAsync("c1", new[] { "sms", "TYPE_email", "Type_Sms" }, 50, "m9", Call);
            var q = Uri.UnescapeDataString(h.Requests[0].Uri.Query);
            Assert.Equal("?lastMessageId=m9&limit=50&type=TYPE_SMS,TYPE_EMAIL", q);
        }

        [Fact]
        public async Task Pager_follows_nextPage_and_stops_when_it_is_false()
        {
            var (h, c) = Setup((_, n) => n == 0
                ? "{\"messages\":{\"lastMessageId\":\"m2\",\"nextPage\":true,\"messages\":[" + Msg1 + "," + Msg2 + "]}}"
                : "{\"messages\":{\"lastMessageId\":\"m3\",\"nextPage\":false,\"messages\":[" + Msg3 + "]}}");
            var ops = new MessageOperations(c);
            var pager = new CursorPager<Message>(2, null, true, 20, 100);
            var all = new List<Message>();
            while (!pager.Done) all.AddRange(pager.Accept(await ops.ListAsync("c1", null, pager.NextLimit(), pager.Cursor, Call)));
            Assert.Equal(3, all.Count);
            Assert.Equal(2, h.Requests.Count);
            Assert.Contains("lastMessageId=m2", h.Requests[1].Uri.Query);
            Assert.False(pager.StoppedAtFirstPage);
        }

        [Fact]
        public void Pager_without_all_or_first_stops_at_the_first_page_and_says_so()
        {
            var pager = new CursorPager<Message>(null, null, false, 2, 100);
            pager.NextLimit();
            pager.Accept(new CursorPage<Message>(new[] { new Message { Id = "a" }, new Message { Id = "b" } }, "b", true, null));
            Assert.True(pager.Done);
            Assert.True(pager.StoppedAtFirstPage);
        }

        [Fact]
        public void Pager_never_loops_on_a_cursor_that_does_not_advance()
        {
            var pager = new CursorPager<Message>(1, null, true, 20, 100);
            pager.NextLimit();
            pager.Accept(new CursorPage<Message>(new[] { new Message { Id = "a" } }, "a", true, null));
            Assert.False(pager.Done);
            pager.NextLimit();
            pager.Accept(new CursorPage<Message>(new[] { new Message { Id = "a" } }, "a", true, null));
            Assert.True(pager.Done);
        }

        [Fact]
        public async Task Send_posts_the_api_spelling_and_scheduled_seconds()
        {
            var (h, c) = Setup((_, _) => "{\"conversationId\":\"c1\",\"messageId\":\"m1\",\"messageIds\":[\"m1\"],\"msg\":\"ok\",\"status\":\"pending\"}");
            var at = DateTimeOffset.UtcNow.AddDays(1);
            var r = await new MessageOperations(c).SendAsync(new MessageSend { Type = "whatsapp", ContactId = "k1", Message = "hi", ScheduledAt = at }, Call);
            Assert.Equal("m1", r.MessageId);
            Assert.Equal("ok", r.Message);
            var body = JsonDocument.Parse(h.Requests[0].Body!).RootElement;
            Assert.Equal("WhatsApp", body.GetProperty("type").GetString());
            Assert.Equal(at.ToUnixTimeSeconds(), body.GetProperty("scheduledTimestamp").GetInt64());
            Assert.Equal("POST", h.Requests[0].Method);
        }

        [Theory]
        [InlineData("Email", null, "<p>x</p>", null)]
        [InlineData("Email", "S", null, null)]
        [InlineData("SMS", null, null, null)]
        [InlineData("Pigeon", null, null, "x")]
        public async Task Send_refuses_bad_messages_without_sending(string type, string? subject, string? html, string? message)
        {
            var (h, c) = Setup((_, _) => "{}");
            var ex = await Assert.ThrowsAsync<LcException>(() => new MessageOperations(c).SendAsync(
                new MessageSend { Type = type, ContactId = "k1", Subject = subject, Html = html, Message = message }, Call));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public void Send_refuses_a_time_in_the_past()
        {
            var s = new MessageSend { Type = "SMS", ContactId = "k1", Message = "x", ScheduledAt = DateTimeOffset.UtcNow.AddSeconds(-1) };
            Assert.Throws<LcException>(() => s.Validate(DateTimeOffset.UtcNow));
        }

        [Fact]
        public async Task Contact_get_unwraps_and_reads_fields()
        {
            var (h, c) = Setup((_, _) => "{\"contact\":{\"id\":\"k1\",\"locationId\":\"loc-alpha\",\"firstName\":\"Ann\",\"contactName\":\"Ann Lee\",\"tags\":[\"vip\"],\"dateAdded\":\"2024-01-02T03:04:05.000Z\",\"dateUpdated\":1704164645000,\"dnd\":false}}");
            var k = await new ContactOperations(c).GetAsync("k1", Call);
            Assert.Equal("Ann Lee", k.Name);
            Assert.Equal(new[] { "vip" }, k.Tags);
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), k.DateAdded);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1704164645000), k.DateUpdated);
            Assert.False(k.Dnd);
            Assert.Equal("https://api.example.test/contacts/k1", h.Requests[0].Uri.ToString());
        }

        [Fact]
        public async Task Contact_search_posts_and_pages_with_searchAfter()
        {
            var (h, c) = Setup((_, n) => n == 0
                ? "{\"contacts\":[{\"id\":\"k1\",\"searchAfter\":[1700000000000,\"k1\"]},{\"id\":\"k2\",\"searchAfter\":[1600000000000,\"k2\"]}],\"total\":3}"
                : "{\"contacts\":[{\"id\":\"k3\",\"searchAfter\":[1500000000000,\"k3\"]}],\"total\":3}");
            var ops = new ContactOperations(c);
            var pager = new CursorPager<Contact>(2, null, true, 20, 500);
            var all = new List<Contact>();
            while (!pager.Done) all.AddRange(pager.Accept(await ops.SearchAsync(null, "ann", pager.NextLimit(), pager.Cursor, Call)));
            Assert.Equal(new[] { "k1", "k2", "k3" }, all.Select(x => x.Id));
            Assert.Equal(2, h.Requests.Count);
            Assert.All(h.Requests, r => Assert.Equal("https://api.example.test/contacts/search", r.Uri.ToString()));
            var second = JsonDocument.Parse(h.Requests[1].Body!).RootElement;
            Assert.Equal("loc-alpha", second.GetProperty("locationId").GetString());
            Assert.Equal("ann", second.GetProperty("query").GetString());
            Assert.Equal(2, second.GetProperty("pageLimit").GetInt32());
            Assert.Equal("k2", second.GetProperty("searchAfter")[1].GetString());
        }

        [Theory]
        [InlineData("https://evil.example/x")]
        [InlineData("//evil.example/x")]
        [InlineData("a@evil.example")]
        [InlineData("a\\b")]
        [InlineData("../x")]
        [InlineData("contacts/../../x")]
        [InlineData("contacts/%2e%2e/x")]
        [InlineData("contacts/%252E%252E/x")]
        [InlineData("contacts%2F..%2Fx")]
        [InlineData("contacts/x\r\nHost: y")]
        [InlineData("contacts?x=1")]
        [InlineData("contacts/%zz")]
        [InlineData("")]
        public async Task Raw_refuses_paths_that_leave_the_api(string path)
        {
            var (h, c) = Setup((_, _) => "{}");
            var ex = await Assert.ThrowsAsync<LcException>(() => new RawOperations(c).SendAsync("GET", path, null, null, Call));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async Task Raw_keeps_the_base_path_and_returns_plain_values()
        {
            var (h, c) = Setup((_, _) => "{\"a\":1,\"b\":[true,\"x\",1.5,null],\"c\":{\"d\":12345678901}}", "https://proxy.example.test/lc/");
            var r = await new RawOperations(c).SendAsync("get", "/contacts/k1", new[] { new KeyValuePair<string, string>("q", "a b") }, null, Call);
            Assert.Equal("https://proxy.example.test/lc/contacts/k1?q=a%20b", h.Requests[0].Uri.AbsoluteUri);
            var o = Assert.IsType<OrderedDictionary>(r.Value);
            Assert.Equal(1, o["a"]);
            var b = Assert.IsType<object?[]>(o["b"]);
            Assert.Equal(new object?[] { true, "x", 1.5, null }, b);
            Assert.Equal(12345678901L, ((OrderedDictionary)o["c"]!)["d"]);
            Assert.Contains("\"a\":1", r.Text);
        }

        [Fact]
        public async Task Raw_post_is_not_resent_after_a_503()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(503, "{\"statusCode\":503,\"message\":\"down\"}"));
            var c = TestConnections.Fake(h, maxRetries: 3);
            var ex = await Assert.ThrowsAsync<LcException>(() => new RawOperations(c).SendAsync("POST", "conversations/messages", null, "{\"a\":1}", Call));
            Assert.Equal(LcErrorKind.ServerError, ex.Kind);
            Assert.Single(h.Requests);
        }

        [Fact]
        public void Raw_refuses_a_body_string_that_is_not_json()
        {
            Assert.Throws<LcException>(() => RawOperations.BodyJson("{nope"));
            Assert.Equal("{\"a\":[1,\"x\"]}", RawOperations.BodyJson(new Dictionary<string, object> { ["a"] = new object[] { 1, "x" } }));
        }
    }
}
