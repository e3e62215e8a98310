using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Request shapes and answers of the contact tag, note and workflow operations, through the real transport (RestSharp).</summary>
    public class ContactNoteTagRequestTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static (FakeHandler, Connection) Setup(string body)
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, body));
            return (h, TestConnections.Fake(h));
        }

        [Fact]
        public async Task Remove_tags_sends_a_DELETE_with_the_tags_as_its_JSON_body()
        {
            var (h, c) = Setup("{\"tags\":[\"lead\"]}");
            var result = await new ContactTagOperations(c).RemoveAsync("k1", new[] { "vip", "newsletter" }, Call);
            var r = Assert.Single(h.Requests);
            Assert.Equal("DELETE", r.Method);
            Assert.Equal("/contacts/k1/tags", r.Uri.AbsolutePath);
            Assert.StartsWith("application/json", r.Headers["Content-Type"]);
            Assert.NotNull(r.Body);
            using var body = JsonDocument.Parse(r.Body!);
            Assert.Equal(new[] { "vip", "newsletter" }, body.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Single(body.RootElement.EnumerateObject());
            Assert.Equal("k1", result.ContactId);
            Assert.Equal(new[] { "lead" }, result.Tags);
        }

        [Fact]
        public async Task Add_tags_posts_the_tags_once_each_ignoring_case()
        {
            var (h, c) = Setup("{\"tags\":[\"vip\",\"lead\"]}");
            var result = await new ContactTagOperations(c).AddAsync("k1", new[] { "vip", "VIP", "lead" }, Call);
            var r = Assert.Single(h.Requests);
            Assert.Equal("POST", r.Method);
            Assert.Equal("/contacts/k1/tags", r.Uri.AbsolutePath);
            Assert.Equal("{\"tags\":[\"vip\",\"lead\"]}", r.Body);
            Assert.Equal("vip; lead", result.ToString());
        }

        [Theory]
        [InlineData(new string[0], "at least one tag")]
        [InlineData(new[] { " " }, "empty")]
        [InlineData(new[] { "a\u0007b" }, "control character")]
        public async Task Bad_tags_are_refused_before_sending(string[] tags, string message)
        {
            var (h, c) = Setup("{}");
            var ex = await Assert.ThrowsAsync<LcException>(() => new ContactTagOperations(c).AddAsync("k1", tags, Call));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Contains(message, ex.Message);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async Task Too_many_or_too_long_tags_are_refused_before_sending()
        {
            var (h, c) = Setup("{}");
            var many = Enumerable.Range(0, ContactTagOperations.MaxTags + 1).Select(i => "t" + i).ToArray();
            await Assert.ThrowsAsync<LcException>(() => new ContactTagOperations(c).RemoveAsync("k1", many, Call));
            await Assert.ThrowsAsync<LcException>(() => new ContactTagOperations(c).AddAsync("k1", new[] { new string('x', ContactTagOperations.MaxTagLength + 1) }, Call));
            await Assert.ThrowsAsync<LcException>(() => new ContactTagOperations(c).AddAsync("../k1", new[] { "vip" }, Call));
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async Task Workflow_delete_sends_its_body_and_post_sends_eventStartTime_in_UTC()
        {
            var (h, c) = Setup("{\"succeded\":true}");
            var ops = new ContactWorkflowOperations(c);
            var at = new DateTimeOffset(2026, 6, 23, 3, 30, 0, TimeSpan.FromHours(1));
            await ops.Add("k1", "wf-1", at).SendAsync(Call);
            await ops.Remove("k1", "wf-1", null).SendAsync(Call);
            Assert.Equal("POST", h.Requests[0].Method);
            Assert.Equal("/contacts/k1/workflow/wf-1", h.Requests[0].Uri.AbsolutePath);
            Assert.Equal("{\"eventStartTime\":\"2026-06-23T02:30:00.000Z\"}", h.Requests[0].Body);
            Assert.Equal("DELETE", h.Requests[1].Method);
            Assert.Equal("{}", h.Requests[1].Body);
        }

        [Fact]
        public async Task Succeded_false_is_an_error()
        {
            var (_, c) = Setup("{\"succeded\":false}");
            var ex = await Assert.ThrowsAsync<LcException>(() => new ContactWorkflowOperations(c).Add("k1", "wf-1", null).SendAsync(Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
        }

        [Fact]
        public async Task Notes_list_reads_every_field_and_fills_the_contact_id()
        {
            var (h, c) = Setup("{\"notes\":[{\"id\":\"n1\",\"body\":\"hi\",\"userId\":\"u1\",\"dateAdded\":\"2021-07-08T12:02:11.285Z\",\"title\":\"T\",\"color\":\"#FFAA00\",\"pinned\":true,\"extra\":1}," +
                "{\"id\":\"n2\",\"body\":\"b\",\"contactId\":\"other\",\"dateAdded\":1625745731285}]}");
            var notes = await new ContactNoteOperations(c).List("k1").SendAsync(Call);
            Assert.Equal("GET", h.Requests[0].Method);
            Assert.Equal("/contacts/k1/notes", h.Requests[0].Uri.AbsolutePath);
            Assert.Equal(2, notes.Count);
            var n = notes[0];
            Assert.Equal(("n1", "hi", "u1", "T", "#FFAA00", true, "k1"), (n.Id, n.Body, n.UserId, n.Title, n.Color, n.Pinned, n.ContactId));
            Assert.Equal(new DateTimeOffset(2021, 7, 8, 12, 2, 11, 285, TimeSpan.Zero), n.DateAdded);
            Assert.Equal("other", notes[1].ContactId);
            Assert.Equal(notes[0].DateAdded, notes[1].DateAdded);
        }

        [Fact]
        public async Task Note_create_and_update_send_only_the_given_fields()
        {
            var (h, c) = Setup("{\"note\":{\"id\":\"n1\",\"body\":\"x\"}}");
            var ops = new ContactNoteOperations(c);
            var created = await ops.Create("k1", new ContactNoteChanges { Body = "line 1\nline 2", Pinned = false }).SendAsync(Call);
            await ops.Update("k1", "n1", new ContactNoteChanges { Title = "T" }).SendAsync(Call);
            await ops.Delete("k1", "n1").SendAsync(Call);
            Assert.Equal(("POST", "/contacts/k1/notes", "{\"body\":\"line 1\\nline 2\",\"pinned\":false}"), (h.Requests[0].Method, h.Requests[0].Uri.AbsolutePath, h.Requests[0].Body));
            Assert.Equal(("PUT", "/contacts/k1/notes/n1", "{\"title\":\"T\"}"), (h.Requests[1].Method, h.Requests[1].Uri.AbsolutePath, h.Requests[1].Body));
            Assert.Equal(("DELETE", "/contacts/k1/notes/n1"), (h.Requests[2].Method, h.Requests[2].Uri.AbsolutePath));
            Assert.Equal(("n1", "k1"), (created.Id, created.ContactId));
        }

        [Fact]
        public void Bad_notes_are_refused_before_sending()
        {
            var (h, c) = Setup("{}");
            var ops = new ContactNoteOperations(c);
            Assert.Throws<LcException>(() => ops.Create("k1", new ContactNoteChanges { Body = " " }));
            Assert.Throws<LcException>(() => ops.Create("k1", new ContactNoteChanges { Body = "x", Title = "a\u001bb" }));
            Assert.Throws<LcException>(() => ops.Create("k1", new ContactNoteChanges { Body = "x", UserId = "u/1" }));
            Assert.Throws<LcException>(() => ops.Update("k1", "n1", new ContactNoteChanges()));
            Assert.Throws<LcException>(() => ops.Delete("k1", "n 1"));
            Assert.Empty(h.Requests);
        }
    }
}
