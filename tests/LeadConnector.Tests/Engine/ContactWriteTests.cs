using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Tests.Infrastructure;
using LeadConnector.Engine;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Contact writes: create, upsert, update and delete request shapes and readers; search filters and sort.</summary>
    public class ContactWriteTests
    {
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        private static (FakeHandler, Connection) Setup(Func<SentRequest, int, (int, string)> answer, int maxRetries = 0)
        {
            var h = new FakeHandler((r, n) => { var (s, b) = answer(r, n); return FakeHandler.Json(s, b); });
            var c = Connection.Create(new ConnectionOptions { AccessToken = TestConnections.Token, BaseUri = new Uri("https://api.example.test"), LocationId = "loc-alpha", MaxRetries = maxRetries },
                new EngineServices(handler: h, pacing: false));
            return (h, c);
        }

        private static ContactInput Full() => new ContactInput
        {
            FirstName = "Ana", LastName = "Lima", Email = "ana@example.com", Phone = "+15550001111", CompanyName = "Acme", Gender = "female",
            Tags = new[] { "vip" }, Dnd = false, DateOfBirth = "1990-09-25",
            CustomFields = new Hashtable { ["6dvNaf7VhkQ9snc5vnjJ"] = "x", ["my_key"] = 5 },
        };

        [Fact]
        public async Task Create_posts_CreateContactDto_and_reads_the_wrapped_contact()
        {
            var (h, c) = Setup((_, _) => (201, "{\"contact\":{\"id\":\"k1\",\"firstName\":\"Ana\",\"tags\":[\"vip\"]}}"));
            var ops = new ContactOperations(c);
            var input = Full();
            var k = await ops.SendCreateAsync(ops.Create(input), input, Call);
            Assert.Equal("k1", k.Id);
            Assert.Null(k.IsNew);
            Assert.Equal("https://api.example.test/contacts/", h.Requests[0].Uri.ToString());
            var body = JsonDocument.Parse(h.Requests[0].Body!).RootElement;
            Assert.Equal("loc-alpha", body.GetProperty("locationId").GetString());
            Assert.Equal("Acme", body.GetProperty("companyName").GetString());
            Assert.False(body.TryGetProperty("createNewIfDuplicateAllowed", out _));
            var fields = body.GetProperty("customFields").EnumerateArray().ToList();
            Assert.Contains(fields, f => f.TryGetProperty("id", out var id) && id.GetString() == "6dvNaf7VhkQ9snc5vnjJ");
            Assert.Contains(fields, f => f.TryGetProperty("key", out var key) && key.GetString() == "my_key" && f.GetProperty("field_value").GetInt32() == 5);
        }

        [Theory]
        [InlineData("{\"new\":true,\"contact\":{\"id\":\"k1\"},\"traceId\":\"t\"}", true)]
        [InlineData("{\"new\":false,\"contact\":{\"id\":\"k1\"}}", false)]
        [InlineData("{\"contact\":{\"id\":\"k1\"}}", null)]
        public async Task Upsert_reads_new_into_IsNew(string json, bool? isNew)
        {
            var (_, c) = Setup((_, _) => (200, json));
            var ops = new ContactOperations(c);
            var input = Full();
            var k = await ops.SendUpsertAsync(ops.Upsert(input), input, Call);
            Assert.Equal("k1", k.Id);
            Assert.Equal(isNew, k.IsNew);
        }

        [Fact]
        public async Task Upsert_is_sent_again_after_a_5xx_when_matched_by_email_and_IsNew_becomes_unknown()
        {
            var (h, c) = Setup((_, n) => n == 0 ? (500, "{\"statusCode\":500,\"message\":\"boom\"}") : (200, "{\"new\":false,\"contact\":{\"id\":\"k1\"}}"), maxRetries: 2);
            var ops = new ContactOperations(c);
            var input = Full();
            var k = await ops.SendUpsertAsync(ops.Upsert(input), input, Call);
            Assert.Equal(2, h.Requests.Count);
            Assert.Null(k.IsNew);
        }

        [Fact]
        public async Task Upsert_that_may_create_each_time_is_never_sent_again()
        {
            var (h, c) = Setup((_, _) => (500, "{\"statusCode\":500,\"message\":\"boom\"}"), maxRetries: 2);
            var ops = new ContactOperations(c);
            var input = Full();
            input.CreateNewIfDuplicateAllowed = true;
            await Assert.ThrowsAsync<LcException>(() => ops.SendUpsertAsync(ops.Upsert(input), input, Call));
            Assert.Single(h.Requests);
            Assert.True(JsonDocument.Parse(h.Requests[0].Body!).RootElement.GetProperty("createNewIfDuplicateAllowed").GetBoolean());
        }

        [Fact]
        public async Task Create_is_never_sent_again_after_a_5xx()
        {
            var (h, c) = Setup((_, _) => (502, "{\"statusCode\":502,\"message\":\"bad gateway\"}"), maxRetries: 3);
            var ops = new ContactOperations(c);
            var input = Full();
            var ex = await Assert.ThrowsAsync<LcException>(() => ops.SendCreateAsync(ops.Create(input), input, Call));
            Assert.Equal(LcErrorKind.ServerError, ex.Kind);
            Assert.Single(h.Requests);
        }

        [Fact]
        public async Task A_duplicate_create_names_the_existing_contact()
        {
            var (h, c) = Setup((r, _) => r.Method == "POST"
                ? (400, "{\"statusCode\":400,\"message\":\"This location does not allow duplicated contacts.\",\"meta\":{\"contactId\":\"k9\"}}")
                : (200, "{\"contact\":{\"id\":\"k9\",\"contactName\":\"Ann Lee\"}}"));
            var ops = new ContactOperations(c);
            var input = Full();
            var ex = await Assert.ThrowsAsync<LcException>(() => ops.SendCreateAsync(ops.Create(input), input, Call));
            Assert.Equal(LcErrorKind.InvalidRequest, ex.Kind);
            Assert.Contains("k9", ex.Message);
            Assert.Equal("k9", ex.Data[ContactOperations.DuplicateIdKey]);
            Assert.StartsWith("https://api.example.test/contacts/search/duplicate?locationId=loc-alpha&email=ana%40example.com", h.Requests[1].Uri.ToString());
        }

        [Fact]
        public void Update_sends_UpdateContactDto_only_no_location_company_or_gender()
        {
            var (_, c) = Setup((_, _) => (200, "{}"));
            var put = new ContactOperations(c).Update("k1", Full());
            Assert.Equal("PUT", put.Method);
            Assert.Equal("contacts/k1", put.Path);
            var body = JsonDocument.Parse(put.Json!).RootElement;
            Assert.False(body.TryGetProperty("locationId", out _));
            Assert.False(body.TryGetProperty("companyName", out _));
            Assert.False(body.TryGetProperty("gender", out _));
            Assert.Equal("vip", body.GetProperty("tags")[0].GetString());
        }

        [Theory]
        [InlineData("{\"succeded\":true}", true)]
        [InlineData("", true)]
        [InlineData("{\"succeded\":false}", false)]
        public async Task Delete_reads_succeded(string json, bool ok)
        {
            var (_, c) = Setup((_, _) => (200, json));
            var delete = new ContactOperations(c).Delete("k1");
            if (ok) Assert.True(await delete.SendAsync(Call));
            else Assert.Equal(LcErrorKind.InvalidResponse, (await Assert.ThrowsAsync<LcException>(() => delete.SendAsync(Call))).Kind);
        }

        [Theory]
        [InlineData("{\"contact\":null}")]
        [InlineData("{}")]
        public async Task Duplicate_lookup_reads_no_contact_as_null(string json)
        {
            var (_, c) = Setup((_, _) => (200, json));
            Assert.Null(await new ContactOperations(c).FindDuplicate(null, null, "+15550001111").SendAsync(Call));
        }

        [Theory]
        [InlineData("1990/09/25", true)]
        [InlineData("09-25-1990", true)]
        [InlineData("1990_09_25", true)]
        [InlineData("09.25.1990", true)]
        [InlineData("1990-02-30", false)]
        [InlineData("1990-9-25", false)]
        [InlineData("Sept 25", false)]
        public void Date_of_birth_takes_the_documented_formats_only(string value, bool ok)
        {
            var (_, c) = Setup((_, _) => (200, "{}"));
            var input = new ContactInput { Email = "a@example.com", DateOfBirth = value };
            if (ok) new ContactOperations(c).Create(input);
            else Assert.Equal(LcErrorKind.InvalidInput, Assert.Throws<LcException>(() => new ContactOperations(c).Create(input)).Kind);
        }

        [Fact]
        public void Search_writes_filters_groups_ranges_and_sort()
        {
            var (_, c) = Setup((_, _) => (200, "{}"));
            var filters = new List<object>
            {
                new Hashtable { ["Group"] = "or", ["Filters"] = new List<object> { new Hashtable { ["field"] = "email", ["operator"] = "exists" } } },
                new Hashtable { ["field"] = "dateAdded", ["operator"] = "range", ["value"] = new Hashtable { ["GTE"] = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) } },
            };
            var sort = new List<object> { new Hashtable { ["field"] = "dateAdded", ["direction"] = "asc" } };
            var page = new ContactOperations(c).Search(null, null, filters, sort).Page(10, null);
            var body = JsonDocument.Parse(page.Json!).RootElement;
            Assert.Equal("OR", body.GetProperty("filters")[0].GetProperty("group").GetString());
            Assert.Equal("exists", body.GetProperty("filters")[0].GetProperty("filters")[0].GetProperty("operator").GetString());
            Assert.Equal("2025-01-01T00:00:00.000Z", body.GetProperty("filters")[1].GetProperty("value").GetProperty("gte").GetString());
            Assert.Equal("asc", body.GetProperty("sort")[0].GetProperty("direction").GetString());
        }

        [Fact]
        public void Search_refuses_an_unknown_operator_before_sending()
        {
            var (_, c) = Setup((_, _) => (200, "{}"));
            var filters = new List<object> { new Hashtable { ["field"] = "email", ["operator"] = "like", ["value"] = "x" } };
            Assert.Equal(LcErrorKind.InvalidInput, Assert.Throws<LcException>(() => new ContactOperations(c).Search(null, null, filters, null)).Kind);
        }
    }
}
