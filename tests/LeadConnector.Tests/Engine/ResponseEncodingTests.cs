using System;
using System.Threading;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Every response encoding the contract documents reads into the same typed objects.</summary>
    public class ResponseEncodingTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static ConversationOperations Ops(string body) =>
            new ConversationOperations(TestConnections.Fake(new FakeHandler((_, _) => FakeHandler.Json(200, body))));

        [Fact]
        public async System.Threading.Tasks.Task Unwrapped_get_with_numeric_type()
        {
            var c = await Ops("{\"contactId\":\"k\",\"locationId\":\"l\",\"deleted\":false,\"inbox\":true,\"type\":2,\"unreadCount\":3,\"assignedTo\":\"u\",\"id\":\"c1\",\"starred\":true}")
                .GetAsync("c1", Call);
            Assert.Equal("c1", c.Id);
            Assert.Equal(ConversationType.Email, c.Type);
            Assert.Equal(3, c.UnreadCount);
            Assert.True(c.Inbox);
            Assert.True(c.Starred);
            Assert.False(c.Deleted);
            Assert.Equal("u", c.AssignedTo);
        }

        [Fact]
        public async System.Threading.Tasks.Task Wrapped_get_and_type_zero()
        {
            var c = await Ops("{\"success\":true,\"conversation\":{\"id\":\"c1\",\"type\":0,\"lastMessageDate\":\"1628008053263\"}}").GetAsync("c1", Call);
            Assert.Equal("c1", c.Id);
            Assert.Equal(ConversationType.Unknown, c.Type);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1628008053263), c.LastMessageDate);
        }

        [Theory]
        [InlineData("\"2023-10-01T12:00:00Z\"")]
        [InlineData("\"2023-10-01T12:00:00.000Z\"")]
        [InlineData("\"2023-10-01T14:00:00+02:00\"")]
        [InlineData("\"1696161600000\"")]
        [InlineData("1696161600000")]
        public async System.Threading.Tasks.Task Dates_in_all_three_encodings_read_as_utc(string encoded)
        {
            var c = await Ops("{\"id\":\"c1\",\"dateAdded\":" + encoded + "}").GetAsync("c1", Call);
            Assert.Equal(new DateTimeOffset(2023, 10, 1, 12, 0, 0, TimeSpan.Zero), c.DateAdded);
            Assert.Equal(TimeSpan.Zero, c.DateAdded!.Value.Offset);
        }

        [Theory]
        [InlineData("\"TYPE_PHONE\"", ConversationType.Phone)]
        [InlineData("\"TYPE_EMAIL\"", ConversationType.Email)]
        [InlineData("\"TYPE_FB_MESSENGER\"", ConversationType.FacebookMessenger)]
        [InlineData("\"TYPE_REVIEW\"", ConversationType.Review)]
        [InlineData("\"TYPE_GROUP_SMS\"", ConversationType.GroupSms)]
        [InlineData("\"TYPE_INTERNAL_CHAT\"", ConversationType.InternalChat)]
        [InlineData("\"TYPE_SOMETHING_NEW\"", ConversationType.Unknown)]
        [InlineData("1", ConversationType.Phone)]
        [InlineData("5", ConversationType.GroupSms)]
        [InlineData("6", ConversationType.InternalChat)]
        [InlineData("99", ConversationType.Unknown)]
        public async System.Threading.Tasks.Task Type_reads_numbers_and_strings(string encoded, ConversationType expected)
        {
            var c = await Ops("{\"id\":\"c1\",\"type\":" + encoded + "}").GetAsync("c1", Call);
            Assert.Equal(expected, c.Type);
        }

        [Fact]
        public async System.Threading.Tasks.Task Search_reads_items_total_and_the_sort_cursor()
        {
            var page = await Ops("{\"conversations\":[{\"id\":\"a\",\"type\":\"TYPE_PHONE\",\"lastMessageDate\":1700000000001,\"fullName\":\"A B\",\"contactName\":\"AB Co\",\"email\":\"a@b.c\",\"phone\":\"+1\",\"lastMessageType\":\"TYPE_SMS\",\"lastMessageBody\":\"hi\",\"unreadCount\":1,\"sort\":[1700000000001]},{\"id\":\"b\",\"lastMessageDate\":1700000000000,\"unknownField\":{\"x\":1}}],\"total\":45}")
                .SearchAsync(new ConversationQuery(), null, null, Call);
            Assert.Equal(45, page.Total);
            Assert.Equal(2, page.Items.Count);
            var a = page.Items[0];
            Assert.Equal(ConversationType.Phone, a.Type);
            Assert.Equal("A B", a.FullName);
            Assert.Equal("AB Co", a.ContactName);
            Assert.Equal("a@b.c", a.Email);
            Assert.Equal("+1", a.Phone);
            Assert.Equal("TYPE_SMS", a.LastMessageType);
            Assert.Equal("1700000000001", a.SortValue);
            Assert.Equal("1700000000000", page.Items[1].SortValue); // no sort: the last message date is the cursor
        }

        [Fact]
        public async System.Threading.Tasks.Task Multi_value_sort_cursor_is_comma_joined()
        {
            var page = await Ops("{\"conversations\":[{\"id\":\"a\",\"sort\":[1600854,1600851]}],\"total\":1}")
                .SearchAsync(new ConversationQuery(), null, null, Call);
            Assert.Equal("1600854,1600851", page.Items[0].SortValue);
        }

        [Fact]
        public async System.Threading.Tasks.Task Email_message_reads_every_field()
        {
            var json = "{\"id\":\"e1\",\"altId\":\"alt\",\"threadId\":\"t\",\"locationId\":\"l\",\"contactId\":\"k\",\"conversationId\":\"c\",\"dateAdded\":\"2024-03-27T18:13:49.000Z\",\"subject\":\"Order\",\"body\":\"Hi\",\"direction\":\"inbound\",\"status\":\"pending\",\"contentType\":\"text/plain\",\"attachments\":[\"u1\"],\"provider\":\"smtp\",\"from\":\"a@b\",\"to\":[\"c@d\"],\"cc\":[\"e@f\"],\"bcc\":[],\"replyToMessageId\":\"r\",\"source\":\"workflow\",\"conversationProviderId\":\"p\"}";
            var m = await new MessageOperations(TestConnections.Fake(new FakeHandler((_, _) => FakeHandler.Json(200, json)))).GetEmailAsync("e1", Call);
            Assert.Equal(("alt", "t", "l", "k", "c"), (m.AltId, m.ThreadId, m.LocationId, m.ContactId, m.ConversationId));
            Assert.Equal(new DateTimeOffset(2024, 3, 27, 18, 13, 49, TimeSpan.Zero), m.DateAdded);
            Assert.Equal(("Order", "Hi", "inbound", "pending", "text/plain"), (m.Subject, m.Body, m.Direction, m.Status, m.ContentType));
            Assert.Equal(new[] { "u1" }, m.Attachments);
            Assert.Equal(new[] { "c@d" }, m.To);
            Assert.Equal(new[] { "e@f" }, m.Cc);
            Assert.Empty(m.Bcc);
            Assert.Equal(("smtp", "a@b", "r", "workflow", "p"), (m.Provider, m.From, m.ReplyToMessageId, m.Source, m.ConversationProviderId));
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("\"text\"")]
        [InlineData("{\"conversations\":{}}")]
        public async System.Threading.Tasks.Task Search_bodies_of_the_wrong_shape_are_invalid_responses(string body)
        {
            var ex = await Assert.ThrowsAsync<LcException>(() => Ops(body).SearchAsync(new ConversationQuery(), null, null, Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
        }

        [Fact]
        public async System.Threading.Tasks.Task Success_false_is_an_invalid_response()
        {
            var ex = await Assert.ThrowsAsync<LcException>(() => Ops("{\"success\":false,\"conversation\":{\"id\":\"c1\"}}").GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
        }
    }
}
