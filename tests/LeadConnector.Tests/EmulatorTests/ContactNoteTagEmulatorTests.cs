using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    /// <summary>The emulator's tag, note and workflow routes: documented shapes, and the errors the module never provokes itself.</summary>
    public class ContactNoteTagEmulatorTests : EmulatorHttp
    {
        public ContactNoteTagEmulatorTests(EmulatorFixture emu) : base(emu) { }

        [Fact]
        public async Task Tags_delete_reads_its_body_and_both_answer_with_the_contacts_tags()
        {
            var (added, addBody, _) = await Post("/contacts/contact-a002/tags", new { tags = new[] { "Gold", "vip" } });
            Assert.Equal(HttpStatusCode.Created, added);
            Assert.Equal(new[] { "vip", "newsletter", "Gold" }, Strings(addBody.GetProperty("tags")));
            var (removed, removeBody, _) = await Send(HttpMethod.Delete, "/contacts/contact-a002/tags", json: new { tags = new[] { "GOLD", "newsletter" } });
            Assert.Equal(HttpStatusCode.OK, removed);
            Assert.Equal(new[] { "vip" }, Strings(removeBody.GetProperty("tags")));
            Assert.Equal(new[] { "vip" }, State.Data.GetContact("contact-a002")!.Tags);
        }

        [Theory]
        [InlineData("{}", "tags should not be empty")]
        [InlineData("{\"tags\":\"vip\"}", "tags must be an array")]
        [InlineData("{\"tags\":[\"vip\",\"\"]}", "each value in tags should not be empty")]
        [InlineData("{\"tags\":[1]}", "each value in tags must be a string")]
        [InlineData("{\"tags\":[\"vip\"],\"extra\":1}", "property extra should not exist")]
        public async Task Tags_refuse_a_bad_body_with_422(string json, string message)
        {
            var (status, body, _) = await Send(HttpMethod.Delete, "/contacts/contact-a002/tags", json: json);
            Assert.Equal((HttpStatusCode)422, status);
            Assert.Contains(message, Strings(body.GetProperty("message")));
            Assert.Equal(new[] { "vip", "newsletter" }, State.Data.GetContact("contact-a002")!.Tags);
        }

        [Fact]
        public async Task Unknown_contacts_and_notes_are_404_and_another_locations_contact_403()
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Post("/contacts/contact-zz/tags", new { tags = new[] { "x" } })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await Get("/contacts/contact-zz/notes")).Status);
            var (status, body, _) = await Get("/contacts/contact-a003/notes/note-b001-1");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Note not found", body.GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await Get("/contacts/contact-b001/notes")).Status);
        }

        [Fact]
        public async Task Notes_have_the_documented_shapes()
        {
            var (_, list, _) = await Get("/contacts/contact-a003/notes");
            var notes = list.GetProperty("notes").EnumerateArray().ToList();
            Assert.Equal(new[] { "note-a003-1", "note-a003-2" }, notes.Select(n => n.GetProperty("id").GetString()));
            Assert.Equal(new[] { "id", "body", "userId", "dateAdded", "contactId", "title", "color", "pinned" }, notes[0].EnumerateObject().Select(p => p.Name));
            Assert.Equal("2025-03-04T10:15:00.000Z", notes[0].GetProperty("dateAdded").GetString());

            var (created, body, _) = await Post("/contacts/contact-a003/notes", new { body = "hello" });
            Assert.Equal(HttpStatusCode.Created, created);
            var id = body.GetProperty("note").GetProperty("id").GetString();
            Assert.False(body.GetProperty("note").GetProperty("pinned").GetBoolean());
            var (put, putBody, _) = await Send(HttpMethod.Put, $"/contacts/contact-a003/notes/{id}", json: new { pinned = true });
            Assert.Equal(HttpStatusCode.OK, put);
            Assert.Equal("hello", putBody.GetProperty("note").GetProperty("body").GetString());
            var (deleted, deleteBody, _) = await Send(HttpMethod.Delete, $"/contacts/contact-a003/notes/{id}");
            Assert.Equal(HttpStatusCode.OK, deleted);
            Assert.True(deleteBody.GetProperty("succeded").GetBoolean());
            Assert.Equal(2, State.Data.Notes("contact-a003").Count);
        }

        [Theory]
        [InlineData("POST", "{}", "body should not be empty")]
        [InlineData("POST", "{\"body\":\"x\",\"pinned\":\"yes\"}", "pinned must be a boolean value")]
        [InlineData("POST", "{\"body\":\"x\",\"author\":\"me\"}", "property author should not exist")]
        [InlineData("PUT", "{\"body\":\" \"}", "body should not be empty")]
        public async Task Notes_refuse_a_bad_body_with_422(string method, string json, string message)
        {
            var path = method == "POST" ? "/contacts/contact-a003/notes" : "/contacts/contact-a003/notes/note-a003-1";
            var (status, body, _) = await Send(new HttpMethod(method), path, json: json);
            Assert.Equal((HttpStatusCode)422, status);
            Assert.Contains(message, Strings(body.GetProperty("message")));
        }

        [Fact]
        public async Task Workflows_record_enrollments_refuse_bad_dates_and_unknown_workflows()
        {
            var (ok, body, _) = await Post("/contacts/contact-a001/workflow/wf-welcome", new { eventStartTime = "2021-06-23T03:30:00+01:00" });
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.True(body.GetProperty("succeded").GetBoolean());
            Assert.Equal(HttpStatusCode.NotFound, (await Post("/contacts/contact-a001/workflow/wf-missing", new { })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await Post("/contacts/contact-a001/workflow/wf-beta-onboarding", new { })).Status);
            Assert.Equal((HttpStatusCode)422, (await Post("/contacts/contact-a001/workflow/wf-welcome", new { eventStartTime = "soon" })).Status);
            var (removed, _, _) = await Send(HttpMethod.Delete, "/contacts/contact-a001/workflow/wf-welcome", json: "{}");
            Assert.Equal(HttpStatusCode.OK, removed);

            var e = Assert.Single(State.Data.Enrollments());
            Assert.Equal(("contact-a001", "wf-welcome", "2021-06-23T03:30:00+01:00"), (e.ContactId, e.WorkflowId, e.EventStartTime));
            Assert.NotNull(e.RemovedAt);
            var (_, control, _) = await Control(HttpMethod.Get, "/workflow-enrollments");
            Assert.Equal("wf-welcome", Assert.Single(control.EnumerateArray().ToList()).GetProperty("workflowId").GetString());
            Emu.Reset();
            Assert.Empty(State.Data.Enrollments());
        }
    }
}
