using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    public class TenantAndSdkTests : EmulatorHttp
    {
        public TenantAndSdkTests(EmulatorFixture emu) : base(emu) { }

        // ---- tenants

        [Fact]
        public async Task AddLocation_gives_a_working_token_with_seeded_conversations_and_its_own_rate_limit()
        {
            var token = State.AddLocation("loc-own", conversations: 3);
            Assert.StartsWith("pit-", token);
            var (status, body, _) = await Get("/conversations/search?locationId=loc-own&limit=100", token);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(3, body.GetProperty("total").GetInt32());
            var dates = body.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("lastMessageDate").GetInt64()).ToList();
            Assert.Equal(dates.Count, dates.Distinct().Count());
            var first = body.GetProperty("conversations")[0];
            var contact = await Get($"/contacts/{first.GetProperty("contactId").GetString()}", token);
            Assert.Equal(HttpStatusCode.OK, contact.Status);
            var messages = await Get($"/conversations/{first.GetProperty("id").GetString()}/messages", token);
            Assert.True(messages.Body.GetProperty("messages").GetProperty("messages").GetArrayLength() >= 3);

            // Its counters are its own: spending the alpha window does not touch the new tenant.
            State.ResetRateLimitCounters();
            State.RateLimit.Max = 2;
            State.RateLimit.IntervalMs = 60_000;
            await Get("/conversations/conv-a001");
            await Get("/conversations/conv-a001");
            Assert.Equal((HttpStatusCode)429, (await Get("/conversations/conv-a001")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get($"/conversations/{first.GetProperty("id").GetString()}", token)).Status);

            // It cannot see another location's data, and alpha cannot see its.
            Assert.Equal(HttpStatusCode.Forbidden, (await Get($"/conversations/{first.GetProperty("id").GetString()}", Seed.BetaToken)).Status);
        }

        [Fact]
        public async Task Control_endpoint_adds_a_location_with_a_chosen_token_and_reset_removes_it()
        {
            var (status, body, _) = await Control(HttpMethod.Post, "/locations", new { locationId = "loc-x", token = "pit-x-1", conversations = 2 });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("loc-x", body.GetProperty("locationId").GetString());
            Assert.Equal("pit-x-1", body.GetProperty("token").GetString());
            Assert.Equal(2, State.Data.ConversationCount("loc-x"));
            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/search?locationId=loc-x", "pit-x-1")).Status);

            var generated = await Control(HttpMethod.Post, "/locations", new { locationId = "loc-y" });
            Assert.StartsWith("pit-", generated.Body.GetProperty("token").GetString());
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Post, "/locations", new { locationId = "loc-z", token = "pit-x-1" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Post, "/locations", new { token = "t" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Post, "/locations", new { locationId = "a", bogus = 1 })).Status);

            State.Reset();
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/conversations/search?locationId=loc-x", "pit-x-1")).Status);
            Assert.Equal(0, State.Data.ConversationCount("loc-x"));
            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/conv-b001", Seed.BetaToken)).Status);
            Assert.Equal(new[] { Seed.AlphaLocation, Seed.BetaLocation }, State.Tokens.Locations);
        }

        // ---- what the JS SDK sends

        [Theory]
        [InlineData("startAfterDate[]={0}")]
        [InlineData("startAfterDate={0}")]
        [InlineData("startAfterDate%5B%5D={0}")]
        public async Task Search_cursor_is_accepted_as_an_array_and_pages_without_gaps(string cursorForm)
        {
            var seen = new System.Collections.Generic.List<string>();
            string cursor = "";
            for (var i = 0; i < 10; i++)
            {
                var (status, body, _) = await Get($"/conversations/search?locationId={Seed.AlphaLocation}&limit=7&sortBy=last_manual_message_date{cursor}");
                Assert.Equal(HttpStatusCode.OK, status);
                var items = body.GetProperty("conversations").EnumerateArray().ToList();
                if (items.Count == 0) break;
                seen.AddRange(items.Select(c => c.GetProperty("id").GetString()!));
                var sort = items[^1].GetProperty("sort").EnumerateArray().Select(n => n.GetInt64()).ToArray();
                Assert.Equal(2, sort.Length); // two numbers: manual date, then the tie-breaker
                cursor = "&" + string.Join("&", sort.Select(n => string.Format(cursorForm, n)));
            }
            Assert.Equal(Seed.AlphaConversationCount, seen.Count);
            Assert.Equal(seen.Count, seen.Distinct().Count());
        }

        [Fact]
        public async Task Search_array_cursor_uses_the_second_number_to_break_ties()
        {
            // Two conversations with the same manual date: only the second sort number separates them.
            var a = State.Data.GetConversation("conv-a003")!;
            var b = State.Data.GetConversation("conv-a004")!;
            b.LastManualMessageDate = a.LastManualMessageDate;
            State.Data.AddConversation(b);
            var all = (await Get($"/conversations/search?locationId={Seed.AlphaLocation}&limit=100&sortBy=last_manual_message_date")).Body
                .GetProperty("conversations").EnumerateArray().ToList();
            var ia = all.FindIndex(c => c.GetProperty("id").GetString() == "conv-a003");
            var ib = all.FindIndex(c => c.GetProperty("id").GetString() == "conv-a004");
            Assert.Equal(1, System.Math.Abs(ia - ib));
            var upper = all[System.Math.Min(ia, ib)];
            var sort = upper.GetProperty("sort").EnumerateArray().Select(n => n.GetInt64()).ToArray();
            var next = (await Get($"/conversations/search?locationId={Seed.AlphaLocation}&limit=1&sortBy=last_manual_message_date&startAfterDate[]={sort[0]}&startAfterDate[]={sort[1]}")).Body;
            Assert.Equal(all[System.Math.Max(ia, ib)].GetProperty("id").GetString(), next.GetProperty("conversations")[0].GetProperty("id").GetString());
        }

        [Fact]
        public async Task Search_refuses_mixing_the_two_cursor_forms_and_non_numbers()
        {
            Assert.Equal((HttpStatusCode)422, (await Get($"/conversations/search?locationId={Seed.AlphaLocation}&startAfterDate=1&startAfterDate[]=2")).Status);
            Assert.Equal((HttpStatusCode)422, (await Get($"/conversations/search?locationId={Seed.AlphaLocation}&startAfterDate[]=x")).Status);
        }

        [Fact]
        public async Task Create_answers_201_with_the_wrapped_body()
        {
            var (status, body, _) = await Send(HttpMethod.Post, "/conversations/", json: new { locationId = Seed.AlphaLocation, contactId = "contact-a007" }, version: "2021-04-15");
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.True(body.GetProperty("success").GetBoolean());
            Assert.Equal("contact-a007", body.GetProperty("conversation").GetProperty("contactId").GetString());
            Assert.Equal(201, Emu.Requests().Last().StatusCode);
        }

        [Fact]
        public async Task Content_type_json_on_GET_and_DELETE_is_accepted()
        {
            void AddContentType(HttpRequestMessage r) => r.Content = new System.Net.Http.StringContent("", System.Text.Encoding.UTF8, "application/json");
            var get = await Send(HttpMethod.Get, "/conversations/conv-a002", configure: AddContentType);
            Assert.Equal(HttpStatusCode.OK, get.Status);
            var delete = await Send(HttpMethod.Delete, "/conversations/conv-a002", configure: AddContentType);
            Assert.Equal(HttpStatusCode.OK, delete.Status);
            Assert.Equal("application/json; charset=utf-8", Emu.Requests().Last().Header("Content-Type"));
        }

        [Theory]
        [InlineData("2021-04-15")]
        [InlineData("2021-07-28")]
        [InlineData("2023-02-21")]
        public async Task Documented_versions_are_accepted(string version) =>
            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/conv-a001", version: version)).Status);

        [Theory]
        [InlineData("2020-01-01")]
        [InlineData("v2")]
        [InlineData(null)]
        public async Task Other_or_missing_versions_are_400_with_the_documented_shape(string? version)
        {
            var (status, body, _) = await Get("/conversations/conv-a001", version: version);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
            Assert.Contains("Version header", body.GetProperty("message").GetString());
        }
    }
}
