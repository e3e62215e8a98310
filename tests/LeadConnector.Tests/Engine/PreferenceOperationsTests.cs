using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// Custom subtypes, subscription statuses, review replies and live-chat typing: the requests as the contract says, and
    /// the readers of answers the contract leaves undocumented (every shape they accept).
    /// </summary>
    public class PreferenceOperationsTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);
        private static byte[] B(string json) => Encoding.UTF8.GetBytes(json);

        private static (FakeHandler, Connection) Setup(string body)
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, body));
            return (h, TestConnections.Fake(h));
        }

        [Theory]
        [InlineData("[{\"id\":\"s1\",\"name\":\"A\"},{\"_id\":\"s2\",\"name\":\"B\"}]")]
        [InlineData("{\"customSubtypes\":[{\"id\":\"s1\",\"name\":\"A\"},{\"_id\":\"s2\",\"name\":\"B\"}]}")]
        [InlineData("{\"success\":true,\"subtypes\":[{\"id\":\"s1\",\"name\":\"A\"},{\"_id\":\"s2\",\"name\":\"B\"}]}")]
        [InlineData("{\"data\":[{\"id\":\"s1\",\"name\":\"A\"},{\"_id\":\"s2\",\"name\":\"B\"}],\"total\":2}")]
        public void Subtype_lists_are_read_bare_or_wrapped(string json)
        {
            var list = CustomSubtype.List.Read(B(json), out _)!;
            Assert.Equal(new[] { "s1", "s2" }, list.Select(s => s.Id));
            Assert.Equal(new[] { "A", "B" }, list.Select(s => s.Name));
        }

        [Fact]
        public void A_subtype_reads_every_field_in_either_spelling_and_skips_objects_where_strings_were_expected()
        {
            var s = CustomSubtype.One.Read(B("{\"success\":true,\"customSubtype\":{\"_id\":\"s1\",\"locationId\":\"L\",\"name\":\"N\"," +
                "\"description\":\"D\",\"channel\":\"email\",\"language\":\"en\",\"archived\":\"true\",\"resubscriptionLegalFormId\":\"f1\"," +
                "\"resubscription_legal_form_id\":{\"nested\":[1]},\"createdAt\":\"1700000000000\",\"updatedAt\":\"2024-01-02T03:04:05Z\"}}"), out var ok)!;
            Assert.True(ok);
            Assert.Equal(("s1", "L", "N", "D", "email", "en", true), (s.Id, s.LocationId, s.Name, s.Description, s.Channel, s.Language, s.Archived));
            Assert.Equal("f1", s.ResubscriptionLegalFormId);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), s.DateAdded);
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), s.DateUpdated);
            Assert.Equal("s2", CustomSubtype.One.Read(B("{\"id\":\"s2\"}"), out _)!.Id);
        }

        [Fact]
        public void Subscription_rows_take_the_contact_and_email_of_the_top_level_and_read_both_spellings()
        {
            var rows = ContactSubscription.ReadList(B("{\"contactId\":\"k1\",\"locationId\":\"L\",\"email\":\"a@x.test\",\"subscriptions\":[" +
                "{\"type\":\"default\",\"subtype_name\":\"One on One\",\"subtype_status\":\"unsubscribed\"}," +
                "{\"email\":\"b@x.test\",\"type\":\"custom\",\"subtypeId\":\"s1\",\"subtypeName\":{\"x\":1},\"status\":\"subscribed\",\"dateUpdated\":1700000000000}]}"))!;
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal(("k1", "L"), (r.ContactId, r.LocationId)));
            Assert.Equal(("a@x.test", "default", "One on One", "unsubscribed"), (rows[0].Email, rows[0].Type, rows[0].SubtypeName, rows[0].Status));
            Assert.Equal(("b@x.test", "custom", "s1", null, "subscribed"), (rows[1].Email, rows[1].Type, rows[1].SubtypeId, rows[1].SubtypeName, rows[1].Status));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), rows[1].DateUpdated);
            Assert.Single(ContactSubscription.ReadList(B("[{\"email\":\"a@x.test\",\"status\":\"subscribed\"}]"))!);
            Assert.Null(ContactSubscription.ReadList(B("{\"ok\":true}")));
        }

        [Fact]
        public async System.Threading.Tasks.Task Create_posts_the_dto_with_the_location_in_the_query()
        {
            var (h, c) = Setup("{\"id\":\"s1\"}");
            await new PreferenceOperations(c).CreateCustomSubtypeAsync(new CustomSubtypeCreate { Name = "N", Channel = "SMS", Language = "fr" }, Call);
            var r = Assert.Single(h.Requests);
            Assert.Equal("POST", r.Method);
            Assert.Equal("https://api.example.test/conversations/preferences/custom-subtypes?locationId=loc-alpha", r.Uri.ToString());
            Assert.Equal("{\"name\":\"N\",\"channel\":\"sms\",\"language\":\"fr\"}", r.Body);
        }

        [Fact]
        public void A_subscription_change_is_sent_in_the_api_spelling_with_the_default_name_filled_in()
        {
            var (_, c) = Setup("{}");
            var change = new SubscriptionChange { ContactId = "k1", Email = "a@x.test", Type = "default", Status = "Unsubscribed" };
            var post = new PreferenceOperations(c).ChangeSubscription(change);
            using var doc = JsonDocument.Parse(post.Json!);
            var action = doc.RootElement.GetProperty("subscription_action");
            Assert.Equal("default", action.GetProperty("type").GetString());
            Assert.Equal("One on One", action.GetProperty("subtype_name").GetString());
            Assert.Equal("unsubscribed", action.GetProperty("subtype_status").GetString());
            Assert.Equal("loc-alpha", doc.RootElement.GetProperty("locationId").GetString());
        }

        [Theory]
        [InlineData("default", "subscribed", null, null, null)] // resubscribe without a legal reason
        [InlineData("custom", "unsubscribed", null, null, "r")] // custom without a subtype id
        [InlineData("resub_all", "unsubscribed", null, null, "r")]
        [InlineData("default", "unsubscribed", "s1", null, null)]
        [InlineData("default", "unsubscribed", null, "Marketing", null)]
        [InlineData("everything", "unsubscribed", null, null, null)]
        [InlineData("default", "maybe", null, null, null)]
        public void Changes_the_api_would_refuse_are_refused(string type, string status, string? subtypeId, string? subtypeName, string? reason)
        {
            var (h, c) = Setup("{}");
            var change = new SubscriptionChange { ContactId = "k1", Email = "a@x.test", Type = type, Status = status, SubtypeId = subtypeId, SubtypeName = subtypeName, LegalReason = reason };
            var ex = Assert.Throws<LcException>(() => new PreferenceOperations(c).ChangeSubscription(change));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async System.Threading.Tasks.Task Review_reply_and_typing_send_their_dtos_and_read_their_answers()
        {
            var (h, c) = Setup("{\"conversationId\":\"c1\",\"messageId\":\"m1\",\"status\":\"delivered\"}");
            var sent = await new ReviewOperations(c).ReplyAsync("c1", "Thanks", null, Call);
            Assert.Equal(("c1", "m1", "delivered"), (sent.ConversationId, sent.MessageId, sent.Status));
            Assert.Equal("{\"conversationId\":\"c1\",\"locationId\":\"loc-alpha\",\"message\":\"Thanks\"}", h.Requests[0].Body);

            var (h2, c2) = Setup("{\"success\":true}");
            var typing = await new LiveChatOperations(c2).TypingAsync("c1", "v1", false, null, Call);
            Assert.Equal((false, true), (typing.IsTyping, typing.Success));
            Assert.Equal("{\"locationId\":\"loc-alpha\",\"isTyping\":\"false\",\"visitorId\":\"v1\",\"conversationId\":\"c1\"}", h2.Requests[0].Body);
        }
    }
}
