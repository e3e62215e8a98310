using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    public class MessageTests : EmulatorHttp
    {
        public MessageTests(EmulatorFixture emu) : base(emu) { }

        private async Task<JsonElement> Page(string query, string conversation = Seed.BigConversationId)
        {
            var (status, body, _) = await Get($"/conversations/{conversation}/messages{query}", version: "2021-04-15");
            Assert.Equal(HttpStatusCode.OK, status);
            return State.MessageListShape == MessageListShape.Nested ? body.GetProperty("messages") : body;
        }

        [Fact]
        public async Task List_is_double_nested_by_default_with_20_messages_newest_first()
        {
            var (_, body, _) = await Get($"/conversations/{Seed.BigConversationId}/messages");
            var inner = body.GetProperty("messages");
            Assert.Equal(JsonValueKind.Object, inner.ValueKind);
            var messages = inner.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(20, messages.Count);
            Assert.True(inner.GetProperty("nextPage").GetBoolean());
            Assert.Equal(messages[^1].GetProperty("id").GetString(), inner.GetProperty("lastMessageId").GetString());
            var dates = messages.Select(m => DateTimeOffset.Parse(m.GetProperty("dateAdded").GetString()!)).ToList();
            Assert.Equal(dates.OrderByDescending(d => d), dates);
            // The newest message is the conversation's last message.
            var conversation = State.Data.GetConversation(Seed.BigConversationId)!;
            Assert.Equal(conversation.LastMessageDate, dates[0]);
        }

        [Fact]
        public async Task List_shape_switches_to_flat_through_the_settings_endpoint_and_refuses_unknown_settings()
        {
            Assert.Equal(HttpStatusCode.OK, (await Control(HttpMethod.Put, "/settings", new { messageListShape = "flat" })).Status);
            Assert.Equal(MessageListShape.Flat, State.MessageListShape);
            var (_, body, _) = await Get($"/conversations/{Seed.BigConversationId}/messages");
            Assert.Equal(JsonValueKind.Array, body.GetProperty("messages").ValueKind);
            Assert.True(body.GetProperty("nextPage").GetBoolean());

            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Put, "/settings", new { messageListShape = "sideways" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Put, "/settings", new { colour = "red" })).Status);
            Assert.Equal(MessageListShape.Flat, State.MessageListShape);
            Assert.Equal("flat", (await Control(HttpMethod.Get, "/settings")).Body.GetProperty("messageListShape").GetString());
            State.Reset();
            Assert.Equal(MessageListShape.Nested, State.MessageListShape);
        }

        [Theory]
        [InlineData(MessageListShape.Nested)]
        [InlineData(MessageListShape.Flat)]
        public async Task Paging_with_lastMessageId_walks_every_message_once(MessageListShape shape)
        {
            State.MessageListShape = shape;
            var ids = new List<string>();
            var cursor = "";
            for (var i = 0; i < 10; i++)
            {
                var page = await Page($"?limit=100{cursor}");
                ids.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
                if (!page.GetProperty("nextPage").GetBoolean()) break;
                cursor = "&lastMessageId=" + page.GetProperty("lastMessageId").GetString();
            }
            Assert.True(ids.Count > 100, "the big conversation has more messages than the largest page");
            Assert.Equal(State.Data.Messages(Seed.BigConversationId).Select(m => m.Id), ids);
        }

        [Fact]
        public async Task Limit_and_type_are_validated()
        {
            Assert.Equal((HttpStatusCode)422, (await Get($"/conversations/{Seed.BigConversationId}/messages?limit=101")).Status);
            Assert.Equal((HttpStatusCode)422, (await Get($"/conversations/{Seed.BigConversationId}/messages?limit=0")).Status);
            Assert.Equal((HttpStatusCode)422, (await Get($"/conversations/{Seed.BigConversationId}/messages?type=TYPE_BOGUS")).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Get($"/conversations/{Seed.BigConversationId}/messages?lastMessageId=nope")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await Get("/conversations/conv-zzz/messages")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Get("/conversations/conv-b001/messages")).Status);
        }

        [Fact]
        public async Task Type_filter_takes_a_comma_separated_list()
        {
            var page = await Page("?limit=100&type=TYPE_EMAIL,TYPE_CALL");
            var types = page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("messageType").GetString()).ToList();
            Assert.NotEmpty(types);
            Assert.All(types, t => Assert.Contains(t, new[] { "TYPE_EMAIL", "TYPE_CALL" }));
            Assert.Contains("TYPE_EMAIL", types);
            Assert.Contains("TYPE_CALL", types);
            var comments = await Page("?limit=100&type=TYPE_INTERNAL_COMMENTS");
            Assert.All(comments.GetProperty("messages").EnumerateArray(), m => Assert.Equal("TYPE_INTERNAL_COMMENT", m.GetProperty("messageType").GetString()));
        }

        [Fact]
        public async Task Emails_in_the_list_have_no_body_but_their_id_fetches_the_email()
        {
            var page = await Page("?limit=100&type=TYPE_EMAIL");
            var emails = page.GetProperty("messages").EnumerateArray().ToList();
            Assert.True(emails.Count >= 10);
            Assert.Contains(emails, m => m.GetProperty("id").GetString() == "email-a001");
            foreach (var m in emails)
            {
                Assert.False(m.TryGetProperty("body", out _));
                Assert.Equal(3, m.GetProperty("type").GetInt32());
                var (status, email, _) = await Get($"/conversations/messages/email/{m.GetProperty("id").GetString()}");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.False(string.IsNullOrEmpty(email.GetProperty("body").GetString()));
                Assert.Equal(Seed.BigConversationId, email.GetProperty("conversationId").GetString());
            }
            // Non-email messages keep their body in the list.
            var sms = (await Page("?limit=100&type=TYPE_SMS")).GetProperty("messages")[0];
            Assert.False(string.IsNullOrEmpty(sms.GetProperty("body").GetString()));
        }

        [Fact]
        public async Task Every_seeded_conversation_has_a_few_messages()
        {
            foreach (var c in State.Data.AllConversations())
                Assert.True(State.Data.Messages(c.Id).Count >= 3, c.Id);
            await Task.CompletedTask;
        }

        [Fact]
        public async Task Get_message_by_id_returns_the_plain_message()
        {
            var id = State.Data.Messages("conv-a002")[0].Id;
            var (status, body, _) = await Get($"/conversations/messages/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(id, body.GetProperty("id").GetString());
            Assert.Equal("conv-a002", body.GetProperty("conversationId").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await Get("/conversations/messages/msg-nope")).Status);
            var beta = State.Data.Messages("conv-b001")[0].Id;
            Assert.Equal(HttpStatusCode.Forbidden, (await Get($"/conversations/messages/{beta}")).Status);
        }

        [Fact]
        public async Task Send_sms_creates_the_message_in_the_contacts_conversation()
        {
            var (status, body, _) = await Post("/conversations/messages", new { type = "SMS", contactId = "contact-a003", message = "Hello there" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("conv-a003", body.GetProperty("conversationId").GetString());
            var id = body.GetProperty("messageId").GetString()!;
            Assert.False(body.TryGetProperty("emailMessageId", out _));
            Assert.Equal(id, Strings(body.GetProperty("messageIds")).Single());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("msg").GetString()));
            Assert.Equal("pending", body.GetProperty("status").GetString());
            var listed = (await Page("?limit=1", "conv-a003")).GetProperty("messages")[0];
            Assert.Equal(id, listed.GetProperty("id").GetString());
            Assert.Equal("Hello there", listed.GetProperty("body").GetString());
            Assert.Equal("TYPE_SMS", State.Data.GetConversation("conv-a003")!.LastMessageType);
            Assert.Equal(1, State.Data.SentCount);
            var logged = Emu.Requests().First(r => r.Method == "POST");
            Assert.Contains("Hello there", logged.Body);
        }

        [Fact]
        public async Task Send_email_creates_a_fetchable_email_and_a_conversation_when_the_contact_has_none()
        {
            State.Data.AddContact(new StoredContact { Id = "contact-new", LocationId = Seed.AlphaLocation, FirstName = "New", Email = "new@example.com" });
            var (status, body, _) = await Post("/conversations/messages", new
            {
                type = "Email", contactId = "contact-new", subject = "Hi", html = "<p>Hello</p>", emailCc = new[] { "cc@example.com" },
                emailFrom = "me@example.com",
            });
            Assert.Equal(HttpStatusCode.OK, status);
            var conversationId = body.GetProperty("conversationId").GetString()!;
            var stored = State.Data.GetConversation(conversationId)!;
            Assert.Equal("contact-new", stored.ContactId);
            var emailId = body.GetProperty("emailMessageId").GetString();
            var email = await Get($"/conversations/messages/email/{emailId}");
            Assert.Equal(HttpStatusCode.OK, email.Status);
            Assert.Equal("<p>Hello</p>", email.Body.GetProperty("body").GetString());
            Assert.Equal("cc@example.com", Strings(email.Body.GetProperty("cc")).Single());
            Assert.Equal("Hi", email.Body.GetProperty("subject").GetString());
        }

        public static IEnumerable<object[]> InvalidSends() => new[]
        {
            new object[] { new { type = "Pigeon", contactId = "contact-a001", message = "x" }, "type must be one of" },
            new object[] { new { type = "SMS", message = "x" }, "contactId should not be empty" },
            new object[] { new { type = "SMS", contactId = "contact-a001" }, "message should not be empty" },
            new object[] { new { type = "Email", contactId = "contact-a001", subject = "s" }, "html or message" },
            new object[] { new { type = "Email", contactId = "contact-a001", html = "<p/>" }, "subject should not be empty" },
            new object[] { new { type = "SMS", contactId = "contact-a001", message = "x", scheduledTimestamp = 1_000_000_000 }, "scheduledTimestamp must be in the future" },
            new object[] { new { type = "SMS", contactId = "contact-a001", message = "x", colour = "red" }, "property colour should not exist" },
        };

        [Theory]
        [MemberData(nameof(InvalidSends))]
        public async Task Invalid_send_bodies_are_422_with_a_message_array(object request, string expected)
        {
            var (status, body, _) = await Post("/conversations/messages", request);
            Assert.Equal((HttpStatusCode)422, status);
            Assert.Contains(Strings(body.GetProperty("message")), m => m.Contains(expected));
            Assert.Equal(0, State.Data.SentCount);
        }

        [Fact]
        public async Task Send_to_an_unknown_or_foreign_contact_is_refused()
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Post("/conversations/messages", new { type = "SMS", contactId = "contact-zzz", message = "x" })).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Post("/conversations/messages", new { type = "SMS", contactId = "contact-b001", message = "x" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/conversations/messages", json: "[1]")).Status);
            Assert.Equal(0, State.Data.SentCount);
        }

        [Fact]
        public async Task Scheduled_send_is_stored_as_scheduled_and_faults_apply_to_messages()
        {
            var at = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
            var (status, body, _) = await Post("/conversations/messages", new { type = "WhatsApp", contactId = "contact-a001", message = "later", scheduledTimestamp = at });
            Assert.Equal(HttpStatusCode.OK, status);
            var stored = State.Data.GetMessage(body.GetProperty("messageId").GetString()!)!;
            Assert.Equal("scheduled", stored.Status);
            Assert.Equal(at, stored.DateAdded.ToUnixTimeSeconds());

            State.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Count = 1, PathPrefix = "/conversations/messages" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Post("/conversations/messages", new { type = "SMS", contactId = "contact-a001", message = "x" })).Status);
            Assert.Equal("Status", Emu.Requests().Last().Fault);
            Assert.Equal(1, State.Data.SentCount);
        }
    }
}
