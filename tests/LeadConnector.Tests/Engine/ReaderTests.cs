using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The models read straight from the body's bytes (Utf8JsonReader): the lenient field rules, property names
    /// (exact spelling wins, else the first re-cased one), wrappers, shapes and the errors for bodies that are not JSON.
    /// The expected values are those the JsonElement readers gave (compared over fixtures and mutations before they went).
    /// </summary>
    public class ReaderTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);
        private static byte[] B(string json) => Encoding.UTF8.GetBytes(json);

        private static Conversation Conv(string json) => ConversationOperations.ReadConversation(B(json), "GET", "conversations/c1");
        private static Conversation ConvField(string name, string value) => Conv("{\"id\":\"c1\",\"" + name + "\":" + value + "}");
        private static Message Msg(string json) => MessageOperations.ReadMessagePage(B("{\"messages\":[" + json + "]}"), "p").Items.Single();
        private static Contact ContactOf(string json) => ContactOperations.ReadSearchPage(B("{\"contacts\":[" + json + "]}")).Items.Single();

        private static LcException Refused(Func<object> read) => Assert.Throws<LcException>(() => read());

        // ------------------------------------------------------------------ property names

        [Theory]
        [InlineData("{\"ID\":\"x\",\"id\":\"y\"}", "y")] // the exact spelling wins, after a re-cased one
        [InlineData("{\"id\":\"y\",\"ID\":\"x\"}", "y")] // and before one
        [InlineData("{\"ID\":\"x\",\"Id\":\"z\"}", "x")] // no exact spelling: the first re-cased one
        [InlineData("{\"id\":\"a\",\"Id\":\"q\",\"id\":\"b\"}", "b")] // duplicates: the last exact one
        [InlineData("{\"i\\u0064\":\"e\"}", "e")] // an escaped name is the same name
        [InlineData("{\"\\u0049D\":\"e\",\"Id\":\"f\"}", "e")] // escaped and re-cased
        [InlineData("{\"ıd\":\"t\"}", null)] // non-ASCII: not 'id'
        [InlineData("{\"idx\":\"t\",\"i\":\"u\"}", null)]
        public void Names_exact_spelling_wins_else_the_first_recased(string json, string? id)
        {
            Assert.Equal(id, Conv(json).Id);
        }

        [Fact]
        public void Recased_names_read_every_field_of_every_model()
        {
            var c = Conv("{\"ID\":\"c1\",\"LASTMESSAGEDATE\":1700000000000,\"UnreadCount\":2,\"TYPE\":\"type_email\",\"Sort\":[5]}");
            Assert.Equal(("c1", 2, ConversationType.Email, "5"), (c.Id, c.UnreadCount, c.Type, c.SortValue));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), c.LastMessageDate);

            var m = Msg("{\"Id\":\"m1\",\"MessageType\":\"TYPE_EMAIL\",\"META\":{\"Email\":{\"MessageIds\":[\"e1\"],\"SUBJECT\":\"S\"}}}");
            Assert.Equal(("m1", "TYPE_EMAIL", "S"), (m.Id, m.MessageType, m.Subject));
            Assert.Equal(new[] { "e1" }, m.EmailMessageIds);

            var k = ContactOf("{\"ID\":\"k1\",\"ContactName\":\"N\",\"TAGS\":[\"a\"],\"DND\":true}");
            Assert.Equal(("k1", "N", true), (k.Id, k.Name, k.Dnd));
            Assert.Equal(new[] { "a" }, k.Tags);
        }

        [Fact]
        public void Unknown_properties_nested_objects_and_arrays_are_skipped()
        {
            var c = Conv("{\"x\":{\"id\":\"no\",\"a\":[{\"id\":\"no\"},[[]]]},\"id\":\"c1\",\"y\":[[1],{\"id\":2}],\"z\":null,\"lastMessageBody\":\"b\"}");
            Assert.Equal(("c1", "b"), (c.Id, c.LastMessageBody));
            // Fields whose value is a container they do not take are skipped whole, and reading goes on after them.
            c = Conv("{\"id\":{\"id\":\"no\"},\"email\":[\"a\"],\"phone\":\"p\",\"unreadCount\":[1],\"starred\":{},\"inbox\":true}");
            Assert.Equal(((string?)null, (string?)null, "p", (int?)null, (bool?)null, (bool?)true), (c.Id, c.Email, c.Phone, c.UnreadCount, c.Starred, c.Inbox));
        }

        // ------------------------------------------------------------------ lenient scalars

        [Theory]
        [InlineData("\"abc\"", "abc")]
        [InlineData("123", "123")]
        [InlineData("1.50", "1.50")] // a number's text as sent
        [InlineData("-1e3", "-1e3")]
        [InlineData("true", "true")]
        [InlineData("false", "false")]
        [InlineData("null", null)]
        [InlineData("{\"a\":1}", null)]
        [InlineData("[\"a\"]", null)]
        [InlineData("\"a\\u0041\\n\"", "aA\n")]
        public void Strings_take_numbers_and_booleans_as_text(string value, string? expected)
        {
            Assert.Equal(expected, ConvField("email", value).Email);
        }

        [Theory]
        [InlineData("3", 3)]
        [InlineData("\"3\"", 3)]
        [InlineData("3.0", 3)]
        [InlineData("3.5", null)]
        [InlineData("\"3.5\"", null)]
        [InlineData("2147483648", null)]
        [InlineData("\"x\"", null)]
        [InlineData("true", null)]
        [InlineData("[3]", null)]
        public void Ints_read_numbers_and_numeric_strings(string value, int? expected)
        {
            Assert.Equal(expected, ConvField("unreadCount", value).UnreadCount);
        }

        [Theory]
        [InlineData("true", true)]
        [InlineData("false", false)]
        [InlineData("\"TRUE\"", true)]
        [InlineData("\"False\"", false)]
        [InlineData("1", true)]
        [InlineData("0", false)]
        [InlineData("2", null)]
        [InlineData("\"1\"", null)]
        [InlineData("\"yes\"", null)]
        [InlineData("null", null)]
        [InlineData("{}", null)]
        public void Bools_read_true_false_strings_and_0_1(string value, bool? expected)
        {
            Assert.Equal(expected, ConvField("starred", value).Starred);
        }

        // ------------------------------------------------------------------ dates

        [Theory]
        [InlineData("\"2023-10-01T12:00:00Z\"", 1696161600000L)]
        [InlineData("\"2023-10-01T14:00:00+02:00\"", 1696161600000L)]
        [InlineData("\"2023-10-01T12:00:00\"", 1696161600000L)] // no offset: UTC
        [InlineData("\"1696161600000\"", 1696161600000L)]
        [InlineData("\" 1696161600000 \"", 1696161600000L)]
        [InlineData("1696161600000", 1696161600000L)]
        [InlineData("1.6961616e12", 1696161600000L)]
        [InlineData("0", 0L)]
        [InlineData("-62135596800000", -62135596800000L)] // 0001-01-01, the first date there is
        [InlineData("253402300799999", 253402300799999L)] // the last
        [InlineData("253402300800000", null)] // out of range: missing, not an error
        [InlineData("-62135596800001", null)]
        [InlineData("\"253402300800000\"", null)]
        [InlineData("99999999999999999999", null)]
        [InlineData("\"not a date\"", null)]
        [InlineData("\"\"", null)]
        [InlineData("true", null)]
        [InlineData("[1696161600000]", null)]
        public void Dates_read_three_encodings_as_utc(string value, long? epochMs)
        {
            foreach (var read in new Func<string, DateTimeOffset?>[]
            {
                v => ConvField("dateAdded", v).DateAdded,
                v => Msg("{\"id\":\"m\",\"dateAdded\":" + v + "}").DateAdded,
                v => ContactOf("{\"id\":\"k\",\"lastActivity\":" + v + "}").LastActivity,
                v => ReadEmail("{\"id\":\"e\",\"dateAdded\":" + v + "}").DateAdded,
            })
            {
                var d = read(value);
                Assert.Equal(epochMs, d?.ToUnixTimeMilliseconds());
                if (d != null) Assert.Equal(TimeSpan.Zero, d.Value.Offset);
            }
        }

        // ------------------------------------------------------------------ conversation type and sort

        [Theory]
        [InlineData("1", ConversationType.Phone)]
        [InlineData("0", ConversationType.Unknown)]
        [InlineData("6", ConversationType.InternalChat)]
        [InlineData("7", ConversationType.Unknown)]
        [InlineData("-1", ConversationType.Unknown)]
        [InlineData("1e30", ConversationType.Unknown)]
        [InlineData("\"2\"", ConversationType.Email)]
        [InlineData("\"TYPE_PHONE\"", ConversationType.Phone)]
        [InlineData("\"TYPE_EMAIL\"", ConversationType.Email)]
        [InlineData("\"type_email\"", ConversationType.Email)]
        [InlineData("\" TYPE_REVIEW \"", ConversationType.Review)]
        [InlineData("\"TYPE_FACEBOOK_MESSENGER\"", ConversationType.FacebookMessenger)]
        [InlineData("\"TYPE_\\u0050HONE\"", ConversationType.Phone)]
        [InlineData("\"garbage\"", ConversationType.Unknown)]
        [InlineData("\"\"", null)]
        [InlineData("\"  \"", null)]
        [InlineData("true", null)]
        [InlineData("null", null)]
        [InlineData("[1]", null)]
        [InlineData("{\"a\":1}", null)]
        public void Type_reads_a_number_or_a_string(string value, ConversationType? expected)
        {
            Assert.Equal(expected, ConvField("type", value).Type);
        }

        [Theory]
        [InlineData("5", "5")]
        [InlineData("\"5\"", "5")]
        [InlineData("[5]", "5")]
        [InlineData("[\"5\"]", "5")]
        [InlineData("[5,6]", "5,6")]
        [InlineData("[5,\"6\",7]", "5,6,7")]
        [InlineData("[1600854, 1600851]", "1600854,1600851")]
        [InlineData("[5,\"x\"]", "1700000000000")] // not all numbers: no sort value, so the last message date
        [InlineData("[5,{}]", "1700000000000")]
        [InlineData("[[5]]", "1700000000000")]
        [InlineData("[]", "1700000000000")]
        [InlineData("\"x\"", "1700000000000")]
        [InlineData("{\"a\":5}", "1700000000000")]
        [InlineData("null", "1700000000000")]
        public void Sort_value_is_a_number_one_element_or_a_joined_array(string value, string expected)
        {
            var page = ConversationOperations.ReadSearchPage(B("{\"conversations\":[{\"id\":\"a\",\"sort\":" + value + ",\"lastMessageDate\":1700000000000}]}"));
            Assert.Equal(expected, page.Items[0].SortValue);
            Assert.Equal(expected, page.NextCursor);
        }

        [Fact]
        public void Without_sort_or_last_message_date_there_is_no_cursor()
        {
            var page = ConversationOperations.ReadSearchPage(B("{\"conversations\":[{\"id\":\"a\"}],\"total\":1}"));
            Assert.Null(page.NextCursor);
        }

        // ------------------------------------------------------------------ wrappers and success

        [Theory]
        [InlineData("{\"id\":\"c1\",\"type\":2}")]
        [InlineData("{\"success\":true,\"conversation\":{\"id\":\"c1\",\"type\":2}}")]
        [InlineData("{\"conversation\":{\"id\":\"c1\",\"type\":2},\"success\":true}")]
        [InlineData("{\"Conversation\":{\"id\":\"c1\",\"type\":2}}")]
        [InlineData("{\"id\":\"outer\",\"conversation\":{\"id\":\"c1\",\"type\":2}}")] // a wrapped object wins over the top level
        [InlineData("{\"conversation\":\"x\",\"id\":\"c1\",\"type\":2}")] // a wrapper that is not an object: the top level is it
        [InlineData("{\"Conversation\":{\"id\":\"no\"},\"conversation\":5,\"id\":\"c1\",\"type\":2}")]
        [InlineData("{\"success\":\"yes\",\"conversation\":{\"id\":\"c1\",\"type\":2}}")]
        public void Conversation_answers_are_wrapped_or_not(string json)
        {
            var c = Conv(json);
            Assert.Equal(("c1", ConversationType.Email), (c.Id, c.Type));
        }

        [Theory]
        [InlineData("{\"success\":false,\"conversation\":{\"id\":\"c1\"}}")]
        [InlineData("{\"conversation\":{\"id\":\"c1\"},\"success\":false}")]
        [InlineData("{\"success\":\"FALSE\",\"conversation\":{\"id\":\"c1\"}}")]
        [InlineData("{\"success\":0,\"id\":\"c1\"}")]
        [InlineData("{\"Success\":false,\"id\":\"c1\"}")]
        [InlineData("{\"success\":true,\"Success\":true,\"success\":false}")]
        public void Success_false_is_an_invalid_response(string json)
        {
            var ex = Refused(() => Conv(json));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Equal("The API answered success=false to GET /conversations/c1.", ex.Message);
        }

        [Fact]
        public void Message_email_and_contact_answers_are_wrapped_or_not()
        {
            foreach (var json in new[] { "{\"id\":\"x1\",\"body\":\"b\"}", "{\"message\":{\"id\":\"x1\",\"body\":\"b\"}}" })
                Assert.Equal(("x1", "b"), Read(json, b => Message.Answer.Read(b, out _), m => (m!.Id, m.Body)));
            foreach (var json in new[] { "{\"id\":\"x1\",\"body\":\"b\"}", "{\"emailMessage\":{\"id\":\"x1\",\"body\":\"b\"}}" })
                Assert.Equal(("x1", "b"), Read(json, b => EmailMessage.Answer.Read(b, out _), m => (m!.Id, m.Body)));
            foreach (var json in new[] { "{\"id\":\"x1\",\"email\":\"b\"}", "{\"contact\":{\"id\":\"x1\",\"email\":\"b\"},\"traceId\":\"t\"}" })
                Assert.Equal(("x1", "b"), Read(json, b => Contact.Answer.Read(b, out _), m => (m!.Id, m.Email)));
        }

        private static TResult Read<T, TResult>(string json, Func<byte[], T> read, Func<T, TResult> pick) => pick(read(B(json)));

        private static EmailMessage ReadEmail(string json) => EmailMessage.Answer.Read(B(json), out _)!;

        // ------------------------------------------------------------------ shapes and bodies that are not JSON (through the client)

        private static Connection Answering(string body) => TestConnections.Fake(new FakeHandler((_, _) => FakeHandler.Json(200, body)), maxRetries: 0);

        public static TheoryData<string, string, string> Shapes => new TheoryData<string, string, string>
        {
            // operation, body, the message
            { "get", "", "The API's answer to GET /conversations/c1 is not a conversation object." },
            { "get", " \r\n\t ", "The API's answer to GET /conversations/c1 is not a conversation object." },
            { "get", "[{\"id\":\"c1\"}]", "The API's answer to GET /conversations/c1 is not a conversation object." },
            { "get", "\"c1\"", "The API's answer to GET /conversations/c1 is not a conversation object." },
            { "get", "null", "The API's answer to GET /conversations/c1 is not a conversation object." },
            { "create", "5", "The API's answer to POST /conversations/ is not a conversation object." },
            { "update", "", "The API's answer to PUT /conversations/c1 is not a conversation object." },
            { "search", "", "The API's answer to GET /conversations/search is not an object with 'conversations'." },
            { "search", "[]", "The API's answer to GET /conversations/search is not an object with 'conversations'." },
            { "search", "{}", "The API's answer to GET /conversations/search is not a 'conversations' array." },
            { "search", "{\"conversations\":{}}", "The API's answer to GET /conversations/search is not a 'conversations' array." },
            { "search", "{\"conversations\":null,\"total\":0}", "The API's answer to GET /conversations/search is not a 'conversations' array." },
            { "messages", "  ", "The API's answer to GET /conversations/c1/messages is not an object with 'messages'." },
            { "messages", "[]", "The API's answer to GET /conversations/c1/messages is not an object with 'messages'." },
            { "messages", "{\"messages\":5}", "The API's answer to GET /conversations/c1/messages is not a 'messages' array." },
            { "messages", "{\"messages\":{\"messages\":\"x\"}}", "The API's answer to GET /conversations/c1/messages is not a 'messages' array." },
            { "messages", "{\"messages\":{\"messages\":{\"messages\":[]}}}", "The API's answer to GET /conversations/c1/messages is not a 'messages' array." },
            { "message", "", "The API's answer to GET /conversations/messages/m1 is not a message object." },
            { "email", "[]", "The API's answer to GET /conversations/messages/email/e1 is not an email message object." },
            { "contact", "", "The API's answer to GET /contacts/k1 is not a contact object." },
            { "contacts", "\"x\"", "The API's answer to POST /contacts/search is not an object with 'contacts'." },
            { "contacts", "{\"contacts\":\"k1\"}", "The API's answer to POST /contacts/search is not a 'contacts' array." },
            { "send", "", "The API's answer to POST /conversations/messages is not a send result object." },
            { "send", "[1]", "The API's answer to POST /conversations/messages is not a send result object." },
        };

        private static Task<object> Invoke(string op, Connection c)
        {
            switch (op)
            {
                case "get": return Box(new ConversationOperations(c).GetAsync("c1", Call));
                case "create": return Box(new ConversationOperations(c).CreateAsync(null, "k1", Call));
                case "update": return Box(new ConversationOperations(c).UpdateAsync("c1", new ConversationUpdate { Starred = true }, Call));
                case "search": return Box(new ConversationOperations(c).SearchAsync(new ConversationQuery(), null, null, Call));
                case "delete": return Box(new ConversationOperations(c).DeleteAsync("c1", Call).ContinueWith(t => { t.GetAwaiter().GetResult(); return "deleted"; }));
                case "messages": return Box(new MessageOperations(c).ListAsync("c1", null, null, null, Call));
                case "message": return Box(new MessageOperations(c).GetAsync("m1", Call));
                case "email": return Box(new MessageOperations(c).GetEmailAsync("e1", Call));
                case "contact": return Box(new ContactOperations(c).GetAsync("k1", Call));
                case "contacts": return Box(new ContactOperations(c).SearchAsync(null, null, null, null, Call));
                case "send": return Box(new MessageOperations(c).SendAsync(new MessageSend { Type = "SMS", ContactId = "k1", Message = "hi" }, Call));
                default: throw new ArgumentException(op);
            }
        }

        private static async Task<object> Box<T>(Task<T> t) => (await t)!;

        [Theory]
        [MemberData(nameof(Shapes))]
        public async Task Bodies_of_the_wrong_shape_are_invalid_responses(string op, string body, string message)
        {
            var ex = await Assert.ThrowsAsync<LcException>(() => Invoke(op, Answering(body)));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Equal(message, ex.Message);
        }

        [Theory]
        [InlineData("get", "{\"id\":\"c1\"")]
        [InlineData("get", "{\"id\":\"c1\",}")]
        [InlineData("get", "{\"id\":\"c1\"} x")]
        [InlineData("get", "{\"id\":\"c1\"}{}")]
        [InlineData("get", "[1,")] // not an object, and not JSON: the JSON error comes first
        [InlineData("get", "{\"success\":false,\"id\":")]
        [InlineData("get", "{'id':'c1'}")]
        [InlineData("get", "{/*c*/\"id\":\"c1\"}")]
        [InlineData("get", "\ufeff{\"id\":\"c1\"}")]
        [InlineData("search", "{\"conversations\":5,\"total\":}")] // a shape error before a syntax error: still 'not valid JSON'
        [InlineData("search", "{\"conversations\":[{\"id\":\"a\",\"x\":{\"y\":[1,2}}]}")] // inside a skipped value
        [InlineData("messages", "{\"messages\":{\"messages\":[{\"id\":\"m1\"}]}")]
        [InlineData("contacts", "{\"contacts\":[{\"id\":\"k\",\"customFields\":[{]}]}")]
        [InlineData("delete", "{\"success\":tru}")]
        [InlineData("send", "{\"messageId\":\"m\"")]
        public async Task Truncated_or_malformed_json_is_not_valid_json(string op, string body)
        {
            var ex = await Assert.ThrowsAsync<LcException>(() => Invoke(op, Answering(body)));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("is not valid JSON", ex.Message);
        }

        [Fact]
        public async Task Nesting_deeper_than_64_levels_is_not_valid_json_even_in_a_skipped_value()
        {
            var deep = string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70));
            var ex = await Assert.ThrowsAsync<LcException>(() => Invoke("get", Answering("{\"id\":\"c1\",\"x\":" + deep + "}")));
            Assert.Contains("is not valid JSON", ex.Message);
            var ok = (Conversation)await Invoke("get", Answering("{\"id\":\"c1\",\"x\":" + string.Concat(Enumerable.Repeat("[", 62)) + string.Concat(Enumerable.Repeat("]", 62)) + "}"));
            Assert.Equal("c1", ok.Id);
        }

        [Theory]
        [InlineData("", "deleted")]
        [InlineData("  ", "deleted")]
        [InlineData("{\"success\":true}", "deleted")]
        [InlineData("{}", "deleted")]
        [InlineData("[false]", "deleted")]
        [InlineData("{\"SUCCESS\":\"false\"}", "refused")]
        [InlineData("{\"success\":false,\"success\":true}", "deleted")]
        public async Task Delete_is_refused_only_by_success_false(string body, string outcome)
        {
            var ex = await Record.ExceptionAsync(() => Invoke("delete", Answering(body)));
            Assert.Equal(outcome, ex == null ? "deleted" : "refused");
            if (ex != null) Assert.Equal("The API answered success=false to DELETE /conversations/c1.", ex.Message);
        }

        // ------------------------------------------------------------------ pages

        [Theory]
        [InlineData("45", 45)]
        [InlineData("\"45\"", 45)]
        [InlineData("45.0", 45)]
        [InlineData("-1", null)]
        [InlineData("2147483648", null)]
        [InlineData("1e20", null)]
        [InlineData("\"many\"", null)]
        [InlineData("null", null)]
        public void Search_total(string total, int? expected)
        {
            var page = ConversationOperations.ReadSearchPage(B("{\"total\":" + total + ",\"conversations\":[]}"));
            Assert.Equal(expected, page.Total);
            Assert.Null(page.NextCursor);
            Assert.Null(page.HasMore);
        }

        [Fact]
        public void Search_keeps_object_items_only_and_reads_a_recased_list()
        {
            var page = ConversationOperations.ReadSearchPage(B("{\"Conversations\":[1,\"x\",null,[{\"id\":\"no\"}],{\"id\":\"a\",\"sort\":[2]},{\"id\":\"b\",\"sort\":[1]}],\"TOTAL\":9}"));
            Assert.Equal(new[] { "a", "b" }, page.Items.Select(c => c.Id));
            Assert.Equal(("1", (int?)9), (page.NextCursor, page.Total));
        }

        [Theory]
        // flat: the cursor and nextPage of the top level
        [InlineData("{\"lastMessageId\":\"m9\",\"nextPage\":true,\"messages\":[{\"id\":\"m1\"},{\"id\":\"m2\"}]}", "m9", true)]
        // double-nested: those of the inner level; the top level's are not the list's
        [InlineData("{\"lastMessageId\":\"top\",\"nextPage\":false,\"messages\":{\"lastMessageId\":\"m9\",\"nextPage\":\"TRUE\",\"messages\":[{\"id\":\"m1\"},{\"id\":\"m2\"}]}}", "m9", true)]
        [InlineData("{\"messages\":{\"messages\":[{\"id\":\"m1\"},{\"id\":\"m2\"}],\"nextPage\":0}}", "m2", false)] // no cursor: the last item's id
        [InlineData("{\"messages\":[{\"id\":\"m1\"},5,{\"id\":\"m2\"}],\"lastMessageId\":42}", "42", null)]
        [InlineData("{\"MESSAGES\":{\"Messages\":[{\"id\":\"m1\"},{\"id\":\"m2\"}],\"LastMessageId\":\"m9\"}}", "m9", null)]
        public void Message_list_reads_both_shapes(string json, string cursor, bool? more)
        {
            var page = MessageOperations.ReadMessagePage(B(json), "p");
            Assert.Equal(new[] { "m1", "m2" }, page.Items.Select(m => m.Id));
            Assert.Equal((cursor, more), (page.NextCursor, page.HasMore));
            Assert.Null(page.Total);
        }

        [Fact]
        public void Empty_message_list_has_no_cursor()
        {
            var page = MessageOperations.ReadMessagePage(B("{\"messages\":{\"messages\":[]}}"), "p");
            Assert.Empty(page.Items);
            Assert.Null(page.NextCursor);
        }

        // ------------------------------------------------------------------ messages

        [Theory]
        [InlineData("{\"id\":\"m\",\"type\":3,\"messageType\":\"TYPE_EMAIL\"}", 3, "TYPE_EMAIL")]
        [InlineData("{\"id\":\"m\",\"type\":\"TYPE_SMS\"}", null, "TYPE_SMS")] // the TYPE_* name in 'type' itself
        [InlineData("{\"id\":\"m\",\"type\":\"TYPE_SMS\",\"messageType\":\"TYPE_CALL\"}", null, "TYPE_CALL")]
        [InlineData("{\"id\":\"m\",\"type\":\"4\"}", 4, null)]
        [InlineData("{\"id\":\"m\",\"messageType\":7,\"type\":1}", 1, "7")]
        [InlineData("{\"id\":\"m\",\"TYPE\":\"TYPE_SMS\",\"type\":2}", 2, null)] // the exact spelling's value decides
        [InlineData("{\"id\":\"m\",\"type\":\"TYPE_SMS\",\"Type\":2}", null, "TYPE_SMS")]
        [InlineData("{\"id\":\"m\",\"type\":{\"x\":\"TYPE_SMS\"}}", null, null)]
        public void Message_type_number_and_name(string json, int? type, string? messageType)
        {
            var m = Msg(json);
            Assert.Equal((type, messageType), (m.Type, m.MessageType));
        }

        [Theory]
        [InlineData("{\"email\":{\"messageIds\":[\"e1\",2,null,{}],\"subject\":\"S\"}}", "e1|2", "S")]
        [InlineData("{\"email\":{\"messageIds\":\"e1\"}}", "e1", null)] // one string: a one-item list
        [InlineData("{\"email\":5}", "", null)]
        [InlineData("{\"Email\":{\"subject\":\"no\"},\"email\":{\"messageIds\":[\"e2\"]}}", "e2", null)] // the exact one, whole
        [InlineData("{\"email\":{\"subject\":\"S\"},\"EMAIL\":{\"messageIds\":[\"no\"]}}", "", "S")]
        [InlineData("{\"Email\":{\"subject\":\"no\"},\"email\":null}", "", null)]
        [InlineData("{\"other\":{\"email\":{\"subject\":\"no\"}}}", "", null)]
        public void Message_meta_email(string meta, string ids, string? subject)
        {
            var m = Msg("{\"id\":\"m\",\"meta\":" + meta + ",\"body\":\"b\"}");
            Assert.Equal(meta, m.Meta); // the meta object's text exactly as sent
            Assert.Equal((ids, subject, "b"), (string.Join("|", m.EmailMessageIds), m.Subject, m.Body));
        }

        [Theory]
        [InlineData("5")]
        [InlineData("null")]
        [InlineData("[{\"email\":{\"subject\":\"no\"}}]")]
        public void Message_meta_that_is_not_an_object_is_missing(string meta)
        {
            var m = Msg("{\"id\":\"m\",\"META\":{\"email\":{\"subject\":\"no\"}},\"meta\":" + meta + "}");
            Assert.Equal(((string?)null, (string?)null, 0), (m.Meta, m.Subject, m.EmailMessageIds.Count));
        }

        [Theory]
        [InlineData("[\"u1\",\"u2\"]", "u1|u2")]
        [InlineData("\"u1\"", "u1")]
        [InlineData("[1, 2.50, true, null, [\"x\"], {\"a\":\"y\"}, \"z\"]", "1|2.50|z")] // numbers as their text; the rest left out
        [InlineData("[]", "")]
        [InlineData("5", "")]
        [InlineData("{\"a\":\"u1\"}", "")]
        public void String_lists(string value, string expected)
        {
            Assert.Equal(expected, string.Join("|", Msg("{\"id\":\"m\",\"attachments\":" + value + "}").Attachments));
            var e = ReadEmail("{\"id\":\"e\",\"to\":" + value + ",\"cc\":" + value + "}");
            Assert.Equal((expected, expected), (string.Join("|", e.To), string.Join("|", e.Cc)));
            Assert.Equal(expected, string.Join("|", ContactOf("{\"id\":\"k\",\"tags\":" + value + "}").Tags));
        }

        // ------------------------------------------------------------------ contacts

        [Theory]
        [InlineData("{\"contactName\":\"C\",\"name\":\"N\"}", "C")]
        [InlineData("{\"name\":\"N\",\"contactName\":\"C\"}", "C")]
        [InlineData("{\"contactName\":null,\"name\":\"N\"}", "N")]
        [InlineData("{\"contactName\":{},\"name\":\"N\"}", "N")]
        [InlineData("{\"name\":\"N\"}", "N")]
        [InlineData("{\"NAME\":\"N\",\"ContactName\":7}", "7")]
        [InlineData("{}", null)]
        public void Contact_name_is_contactName_else_name(string json, string? name)
        {
            Assert.Equal(name, ContactOf(json).Name);
        }

        [Fact]
        public void Contact_custom_fields_and_cursor_are_kept_as_json_text()
        {
            var page = ContactOperations.ReadSearchPage(B("{\"contacts\":[" +
                "{\"id\":\"k1\",\"customFields\":[ {\"id\":\"f\", \"value\": [1, \"a\"] } ],\"searchAfter\":[1700000000000, \"k1\"]}," +
                "{\"id\":\"k2\",\"customFields\":{\"id\":\"f\"},\"searchAfter\":[]}],\"count\":\"7\"}"));
            Assert.Equal("[ {\"id\":\"f\", \"value\": [1, \"a\"] } ]", page.Items[0].CustomFields);
            Assert.Equal("[1700000000000, \"k1\"]", page.Items[0].SearchAfter);
            Assert.Null(page.Items[1].CustomFields);
            Assert.Null(page.Items[1].SearchAfter); // empty: no cursor
            Assert.Null(page.NextCursor);
            Assert.Equal(7, page.Total); // count, when there is no total
        }

        [Theory]
        [InlineData("\"total\":3,\"count\":7", 3)]
        [InlineData("\"total\":\"x\",\"count\":7", 7)]
        [InlineData("\"count\":-7", null)]
        public void Contact_search_total_else_count(string fields, int? total)
        {
            Assert.Equal(total, ContactOperations.ReadSearchPage(B("{\"contacts\":[]," + fields + "}")).Total);
        }

        [Fact]
        public void Contact_reads_every_field()
        {
            var k = ContactOf("{\"id\":\"k\",\"locationId\":\"l\",\"firstName\":\"F\",\"lastName\":\"L\",\"email\":\"e\",\"phone\":\"p\",\"companyName\":\"c\"," +
                "\"dateAdded\":\"2024-01-02T03:04:05Z\",\"dateUpdated\":1700000000000,\"dateOfBirth\":\"1990-01-01\",\"type\":\"lead\",\"source\":\"s\"," +
                "\"assignedTo\":\"u\",\"dnd\":\"true\",\"timezone\":\"tz\",\"address1\":\"a\",\"city\":\"ci\",\"state\":\"st\",\"country\":\"co\",\"postalCode\":\"pc\"," +
                "\"website\":\"w\",\"businessId\":\"b\",\"firstNameLowerCase\":\"f\",\"lastNameLowerCase\":\"l\",\"emailLowerCase\":\"el\"}");
            Assert.Equal(("k", "l", "F", "L", "e", "p", "c"), (k.Id, k.LocationId, k.FirstName, k.LastName, k.Email, k.Phone, k.CompanyName));
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), k.DateAdded);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), k.DateUpdated);
            Assert.Equal(("1990-01-01", "lead", "s", "u", (bool?)true, "tz"), (k.DateOfBirth, k.Type, k.Source, k.AssignedTo, k.Dnd, k.Timezone));
            Assert.Equal(("a", "ci", "st", "co", "pc", "w", "b"), (k.Address1, k.City, k.State, k.Country, k.PostalCode, k.Website, k.BusinessId));
            Assert.Equal(("f", "l", "el"), (k.FirstNameLowerCase, k.LastNameLowerCase, k.EmailLowerCase));
        }

        [Fact]
        public async Task Send_result_reads_every_field()
        {
            var r = (SendResult)await Invoke("send", Answering("{\"conversationId\":\"c\",\"messageId\":\"m\",\"messageIds\":[\"m\",\"n\"],\"emailMessageId\":5,\"msg\":\"ok\",\"status\":\"queued\"}"));
            Assert.Equal(("c", "m", "5", "ok", "queued"), (r.ConversationId, r.MessageId, r.EmailMessageId, r.Message, r.Status));
            Assert.Equal(new[] { "m", "n" }, r.MessageIds);
        }
    }
}
