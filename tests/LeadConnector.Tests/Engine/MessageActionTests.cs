using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Tests.Infrastructure;
using Xunit;

namespace LeadConnector.Tests.Engine
{
    /// <summary>The message actions of issue 14: request shapes, readers, and the streaming download.</summary>
    public class MessageActionTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        [Fact]
        public void Export_reads_messages_cursor_and_total_and_stops_without_a_cursor()
        {
            var page = MessageOperations.ReadExportPage(Utf8("{\"messages\":[{\"id\":\"m1\",\"messageType\":\"TYPE_SMS\"}],\"nextCursor\":\"abc\",\"total\":1234}"), "p");
            Assert.Equal("m1", Assert.Single(page.Items).Id);
            Assert.Equal("abc", page.NextCursor);
            Assert.True(page.HasMore);
            Assert.Equal(1234, page.Total);

            var last = MessageOperations.ReadExportPage(Utf8("{\"messages\":[],\"nextCursor\":null,\"total\":0}"), "p");
            Assert.Null(last.NextCursor);
            Assert.False(last.HasMore);
            Assert.Throws<LcException>(() => MessageOperations.ReadExportPage(Utf8("{\"total\":3}"), "p"));
        }

        [Fact]
        public void Export_builds_its_query_once_with_the_api_spellings_and_never_a_limit_below_10()
        {
            var c = TestConnections.Fake(new FakeHandler((_, _) => FakeHandler.Json(200, "{}")));
            var export = new MessageOperations(c).Export(new MessageExportQuery
            {
                ContactId = "k1", Channel = "whatsapp", SortOrder = "ASC", SortBy = "updatedat",
                Since = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), Until = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(2)),
            });
            Assert.Equal("loc-alpha", export.LocationId);
            var request = export.Page(5, "cur");
            Assert.Equal("GET /conversations/messages/export", request.ToString());
            Assert.Throws<LcException>(() => new MessageOperations(c).Export(new MessageExportQuery { Channel = "Fax" }));
            Assert.Throws<LcException>(() => new MessageOperations(c).Export(new MessageExportQuery { ContactId = "a/b" }));
            Assert.Throws<LcException>(() => new MessageOperations(c).Export(new MessageExportQuery
            {
                Since = DateTimeOffset.UtcNow, Until = DateTimeOffset.UtcNow.AddDays(-1),
            }));
        }

        [Fact]
        public async Task Export_sends_the_query_as_built()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, "{\"messages\":[],\"total\":0}"));
            var c = TestConnections.Fake(h);
            await new MessageOperations(c).Export(new MessageExportQuery { Channel = "sms", Since = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) })
                .Page(5, null).SendAsync(Call);
            var query = Uri.UnescapeDataString(h.Requests[0].Uri.Query);
            Assert.Equal("?locationId=loc-alpha&limit=10&channel=SMS&startDate=2025-01-01T00:00:00.000Z", query);
        }

        [Theory]
        [InlineData("[{\"mediaChannel\":1,\"sentenceIndex\":1,\"startTime\":0,\"endTime\":1500,\"transcript\":\"a\",\"confidence\":0.9},{\"mediaChannel\":2,\"sentenceIndex\":2,\"startTime\":1500,\"endTime\":2000,\"transcript\":\"b\",\"confidence\":1}]", 2)]
        [InlineData("{\"mediaChannel\":\"1\",\"sentenceIndex\":\"1\",\"startTime\":\"34\",\"endTime\":\"45\",\"transcript\":\"a\",\"confidence\":\"0.5\"}", 1)]
        [InlineData("{\"transcription\":[{\"transcript\":\"a\"},{\"transcript\":\"b\"}]}", 2)]
        public void Transcriptions_read_the_list_a_single_sentence_and_a_wrapped_list(string json, int count)
        {
            var sentences = TranscriptionSentence.ReadAll(Utf8(json))!;
            Assert.Equal(count, sentences.Count);
            Assert.Equal("a", sentences[0].Transcript);
        }

        [Fact]
        public void Transcription_numbers_become_times_and_a_confidence()
        {
            var s = TranscriptionSentence.ReadAll(Utf8("{\"mediaChannel\":\"2\",\"sentenceIndex\":\"3\",\"startTime\":\"34\",\"endTime\":1500.5,\"transcript\":\"x\",\"confidence\":\"0.5\"}"))![0];
            Assert.Equal(2, s.MediaChannel);
            Assert.Equal(3, s.SentenceIndex);
            Assert.Equal(0.034, s.StartSeconds);
            Assert.Equal(1.5005, s.EndSeconds);
            Assert.Equal(0.5, s.Confidence);
            Assert.Null(TranscriptionSentence.ReadAll(Utf8("\"text\"")));
        }

        [Theory]
        [InlineData(false, null, "k1", "An inbound message needs -Type")]
        [InlineData(false, "SMS", null, "-ContactId is required")]
        [InlineData(true, "SMS", null, "outbound calls only")]
        [InlineData(false, "fax", "k1", "is not a message type")]
        public void Import_refuses_what_the_api_refuses(bool outbound, string? type, string? contact, string expected)
        {
            var m = new MessageImport { Outbound = outbound, Type = type, ConversationId = "c1", ConversationProviderId = "p", ContactId = contact };
            var ex = Assert.Throws<LcException>(() => m.Validate());
            Assert.Contains(expected, ex.Message);
        }

        [Fact]
        public void Import_writes_every_field_in_the_api_spelling()
        {
            var m = new MessageImport
            {
                Type = "whatsapp", ConversationId = "c1", ContactId = "k1", ConversationProviderId = "p", Message = "hi", AltId = "x1",
                Date = new DateTimeOffset(2024, 3, 1, 9, 30, 0, TimeSpan.Zero), Attachments = new[] { "https://f/a.pdf" },
                Call = new CallData { From = "+1", To = "+2", Status = "No-Answer" },
            };
            var json = m.ToJson(m.Validate());
            Assert.Equal("{\"type\":\"WhatsApp\",\"conversationId\":\"c1\",\"conversationProviderId\":\"p\",\"contactId\":\"k1\",\"message\":\"hi\",\"altId\":\"x1\"," +
                "\"date\":\"2024-03-01T09:30:00.000Z\",\"attachments\":[\"https://f/a.pdf\"],\"call\":{\"to\":\"\\u002B2\",\"from\":\"\\u002B1\",\"status\":\"no-answer\"}}", json);
        }

        [Fact]
        public void Status_update_needs_the_three_error_fields_together()
        {
            Assert.Throws<LcException>(() => new MessageStatusUpdate { Status = "failed", ErrorMessage = "x" }.Validate());
            Assert.Throws<LcException>(() => new MessageStatusUpdate { Recipients = new[] { "a" } }.Validate());
            var u = new MessageStatusUpdate { Status = "FAILED", ErrorCode = "1", ErrorType = "saas", ErrorMessage = "m", Recipients = new[] { "a@x" } };
            Assert.Equal("{\"status\":\"failed\",\"error\":{\"code\":\"1\",\"type\":\"saas\",\"message\":\"m\"},\"recipients\":[\"a@x\"]}", u.ToJson(u.Validate()));
        }

        [Fact]
        public void Attachments_are_refused_above_five_or_when_not_urls()
        {
            var ops = new MessageOperations(TestConnections.Fake(new FakeHandler((_, _) => FakeHandler.Json(200, "{}"))));
            Assert.Throws<LcException>(() => ops.SetAttachments("m1", Enumerable.Range(1, 6).Select(i => $"https://f/{i}").ToArray()));
            Assert.Throws<LcException>(() => ops.SetAttachments("m1", new[] { "C:\\a.mp3" }));
            Assert.Equal("{\"attachments\":[\"https://f/1\"]}", ops.SetAttachments("m1", new[] { "https://f/1" }).Json);
        }

        [Fact]
        public async Task A_cancel_whose_body_says_it_failed_is_that_failure()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, "{\"status\":404,\"message\":\"Failed cancel the scheduled message\"}"));
            var ex = await Assert.ThrowsAsync<LcException>(() => new MessageOperations(TestConnections.Fake(h)).CancelScheduled("m1").SendAsync(Call));
            Assert.Equal(LcErrorKind.NotFound, ex.Kind);
            var ok = new FakeHandler((_, _) => FakeHandler.Json(200, "{\"status\":200,\"message\":\"ok\"}"));
            Assert.True(await new MessageOperations(TestConnections.Fake(ok)).CancelScheduledEmail("e1").SendAsync(Call));
            Assert.Equal("/conversations/messages/email/e1/schedule", ok.Requests[0].Uri.AbsolutePath);
        }

        [Theory]
        [InlineData("attachment; filename=audio.wav", "audio.wav")]
        [InlineData("attachment; filename=\"../../etc/passwd\"", "passwd")]
        [InlineData("attachment; filename=\"C:\\\\x\\\\call.wav\"", "call.wav")]
        [InlineData("attachment; filename=\"..\"", null)]
        [InlineData("attachment", null)]
        public void The_file_name_of_a_download_is_made_safe(string header, string? expected) =>
            Assert.Equal(expected, LeadConnector.Engine.FileSink.SafeName(ContentDispositionHeaderValue.Parse(header)));

        private static HttpResponseMessage Audio(byte[] bytes, int cut = -1)
        {
            var content = new ByteArrayContent(cut < 0 ? bytes : bytes.Take(cut).ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("audio/x-wav");
            content.Headers.ContentDisposition = ContentDispositionHeaderValue.Parse("attachment; filename=audio.wav");
            content.Headers.ContentLength = bytes.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        [Fact]
        public async Task A_download_streams_to_the_file_retries_a_short_body_and_leaves_no_partial_file()
        {
            var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
            var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lc-dl-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                // The first answer is cut short (the declared length is not reached): retried, then saved whole.
                var h = new FakeHandler((_, n) => n == 0 ? Audio(bytes, 1000) : Audio(bytes));
                var saved = await new MessageOperations(TestConnections.Fake(h)).Recording("m1", null).SaveAsync(dir + Path.DirectorySeparatorChar, false, Call);
                Assert.Equal(Path.Combine(dir, "audio.wav"), saved.Path);
                Assert.Equal(bytes, File.ReadAllBytes(saved.Path!));
                Assert.Equal("audio/x-wav", saved.ContentType);
                Assert.Equal(2, h.Requests.Count);
                Assert.Equal("/conversations/messages/m1/locations/loc-alpha/recording", h.Requests[0].Uri.AbsolutePath);
                Assert.Single(Directory.GetFiles(dir));

                // Every attempt cut short: an error, and nothing left behind (the existing file untouched).
                var bad = new FakeHandler((_, _) => Audio(bytes, 10));
                var target = Path.Combine(dir, "other.wav");
                await Assert.ThrowsAsync<LcException>(() => new MessageOperations(TestConnections.Fake(bad, maxRetries: 1)).Recording("m1", null).SaveAsync(target, false, Call));
                Assert.Equal(new[] { "audio.wav" }, Directory.GetFiles(dir).Select(Path.GetFileName));

                // An existing file without force: refused before anything is sent.
                var none = new FakeHandler((_, _) => Audio(bytes));
                await Assert.ThrowsAsync<LcException>(() => new MessageOperations(TestConnections.Fake(none)).Recording("m1", null).SaveAsync(saved.Path!, false, Call));
                Assert.Empty(none.Requests);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public async Task A_download_error_answer_is_the_usual_api_error()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(404, "{\"statusCode\":404,\"message\":\"Recording not found\"}"));
            var file = Path.Combine(Path.GetTempPath(), "lc-dl-" + Guid.NewGuid().ToString("N") + ".wav");
            var ex = await Assert.ThrowsAsync<LcException>(() => new MessageOperations(TestConnections.Fake(h)).Recording("m1", "loc-b").SaveAsync(file, false, Call));
            Assert.Equal(LcErrorKind.NotFound, ex.Kind);
            Assert.Contains("Recording not found", ex.Message);
            Assert.False(File.Exists(file));
            Assert.Equal("/conversations/messages/m1/locations/loc-b/recording", h.Requests[0].Uri.AbsolutePath);
        }
    }
}
