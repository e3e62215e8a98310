using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    public class ContactAndOAuthTests : EmulatorHttp
    {
        public ContactAndOAuthTests(EmulatorFixture emu) : base(emu) { }

        // ---- contacts

        [Fact]
        public async Task Every_seeded_conversation_contact_exists_and_get_returns_it_wrapped()
        {
            foreach (var c in State.Data.AllConversations())
                Assert.Equal(c.LocationId, State.Data.GetContact(c.ContactId)?.LocationId);
            var (status, body, _) = await Get("/contacts/contact-a001");
            Assert.Equal(HttpStatusCode.OK, status);
            var contact = body.GetProperty("contact");
            Assert.Equal("contact-a001", contact.GetProperty("id").GetString());
            Assert.Equal("Olivia", contact.GetProperty("firstName").GetString());
            Assert.Equal("Bennett", contact.GetProperty("lastName").GetString());
            Assert.Equal("Bennett Dental", contact.GetProperty("companyName").GetString());
            Assert.Equal("olivia.bennett@example.com", contact.GetProperty("email").GetString());
            foreach (var name in new[] { "locationId", "contactName", "phone", "tags", "dateAdded", "dateUpdated", "source", "type" })
                Assert.True(contact.TryGetProperty(name, out _), name);
            Assert.Equal(HttpStatusCode.Forbidden, (await Get("/contacts/contact-b001")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await Get("/contacts/contact-zzz")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get("/contacts/contact-b001", Seed.BetaToken)).Status);
        }

        [Fact]
        public async Task Search_pages_with_page_and_with_searchAfter_and_filters()
        {
            var byPage = new System.Collections.Generic.List<string>();
            for (var p = 1; p <= 3; p++)
            {
                var (status, body, _) = await Post("/contacts/search", new { locationId = Seed.AlphaLocation, pageLimit = 20, page = p });
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(44, body.GetProperty("total").GetInt32()); // 45 conversations, contact-a002 has two
                byPage.AddRange(body.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            }
            Assert.Equal(44, byPage.Distinct().Count());

            var byCursor = new System.Collections.Generic.List<string>();
            object? after = null;
            for (var i = 0; i < 10; i++)
            {
                var (_, body, _) = await Post("/contacts/search", after is null
                    ? new { locationId = Seed.AlphaLocation, pageLimit = 15 }
                    : (object)new { locationId = Seed.AlphaLocation, pageLimit = 15, searchAfter = after });
                var items = body.GetProperty("contacts").EnumerateArray().ToList();
                if (items.Count == 0) break;
                byCursor.AddRange(items.Select(c => c.GetProperty("id").GetString()!));
                var sa = items[^1].GetProperty("searchAfter");
                after = new object[] { sa[0].GetInt64(), sa[1].GetString()! };
            }
            Assert.Equal(byPage, byCursor);

            var vip = await Post("/contacts/search", new
            {
                locationId = Seed.AlphaLocation, query = "a",
                filters = new[] { new { field = "tags", @operator = "eq", value = "vip" } },
            });
            Assert.All(vip.Body.GetProperty("contacts").EnumerateArray(), c => Assert.Contains("vip", Strings(c.GetProperty("tags"))));
            Assert.True(vip.Body.GetProperty("total").GetInt32() > 0);

            Assert.Equal((HttpStatusCode)422, (await Post("/contacts/search", new { pageLimit = 5 })).Status);
            Assert.Equal((HttpStatusCode)422, (await Post("/contacts/search", new { locationId = Seed.AlphaLocation, filters = new[] { new { field = "tags", @operator = "near", value = "x" } } })).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Post("/contacts/search", new { locationId = Seed.BetaLocation })).Status);
        }

        [Fact]
        public async Task Deprecated_list_pages_with_startAfterId()
        {
            var ids = new System.Collections.Generic.List<string>();
            var cursor = "";
            for (var i = 0; i < 10; i++)
            {
                var (status, body, _) = await Get($"/contacts/?locationId={Seed.AlphaLocation}&limit=10{cursor}");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(44, body.GetProperty("count").GetInt32());
                ids.AddRange(body.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
                if (!body.GetProperty("meta").TryGetProperty("startAfterId", out var next)) break; // last page
                cursor = "&startAfterId=" + next.GetString();
            }
            Assert.Equal(44, ids.Distinct().Count());
            var found = await Get($"/contacts/?locationId={Seed.AlphaLocation}&query=Bennett");
            Assert.Equal("contact-a001", found.Body.GetProperty("contacts")[0].GetProperty("id").GetString());
            Assert.Equal((HttpStatusCode)422, (await Get("/contacts/?limit=10")).Status);
        }

        // ---- OAuth

        private Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> Refresh(string refreshToken,
            string secret = Seed.OAuthClientSecret, string? userType = null) =>
            Send(HttpMethod.Post, "/oauth/token", token: null, version: null, content: Form(
                new[] { ("grant_type", "refresh_token"), ("client_id", Seed.OAuthClientId), ("client_secret", secret), ("refresh_token", refreshToken) }
                    .Concat(userType is null ? Array.Empty<(string, string)>() : new[] { ("user_type", userType) }).ToArray()));

        /// <summary>
        /// Access tokens in these tests live 3 s: long enough that a loaded machine still uses one before it expires, and
        /// the test then waits until the lifetime is certainly over (counted from when the answer came, which is after the
        /// token was issued) before it expects the token refused.
        /// </summary>
        private static readonly TimeSpan ShortLifetime = TimeSpan.FromSeconds(3);

        private static Task UntilExpired(DateTimeOffset answeredAt) =>
            Task.Delay(answeredAt + ShortLifetime + TimeSpan.FromMilliseconds(300) - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

        [Fact]
        public async Task Refresh_issues_an_expiring_access_token_and_a_new_single_use_refresh_token()
        {
            State.OAuth.AccessTokenLifetime = ShortLifetime;
            var (status, body, _) = await Refresh(Seed.AlphaRefreshToken, userType: "Location");
            var answeredAt = DateTimeOffset.UtcNow;
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
            Assert.Equal(3, body.GetProperty("expires_in").GetInt32());
            Assert.Equal(Seed.AlphaLocation, body.GetProperty("locationId").GetString());
            Assert.Equal(Seed.CompanyId, body.GetProperty("companyId").GetString());
            Assert.Equal("Location", body.GetProperty("userType").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("scope").GetString()));
            Assert.False(string.IsNullOrEmpty(body.GetProperty("userId").GetString()));
            var access = body.GetProperty("access_token").GetString()!;
            var next = body.GetProperty("refresh_token").GetString()!;
            Assert.NotEqual(Seed.AlphaRefreshToken, next);

            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/conv-a001", access)).Status);
            var again = await Refresh(Seed.AlphaRefreshToken);
            Assert.Equal(HttpStatusCode.BadRequest, again.Status);
            Assert.Equal("invalid_grant", again.Body.GetProperty("error").GetString());

            await UntilExpired(answeredAt);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/conversations/conv-a001", access)).Status);
            Assert.Equal(HttpStatusCode.OK, (await Refresh(next)).Status);
            Assert.Equal(2, State.OAuth.RefreshCount);
            Assert.Equal(1, State.OAuth.FailedRefreshCount);
            Assert.Contains(Emu.Requests(), r => r.Path == "/oauth/token" && r.Body.Contains("grant_type=refresh_token"));
        }

        [Fact]
        public async Task Concurrent_refreshes_with_one_token_succeed_exactly_once()
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Refresh(Seed.AlphaRefreshToken)));
            Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal(11, results.Count(r => r.Status == HttpStatusCode.BadRequest));
            var counters = await Control(HttpMethod.Get, "/oauth");
            Assert.Equal(1, counters.Body.GetProperty("refreshCount").GetInt32());
            Assert.Equal(11, counters.Body.GetProperty("failedRefreshCount").GetInt32());
        }

        [Fact]
        public async Task Control_endpoints_mint_refresh_tokens_set_the_lifetime_and_expire_access_tokens()
        {
            var minted = await Control(HttpMethod.Post, "/oauth/refresh-tokens", new { locationId = Seed.BetaLocation });
            Assert.Equal(HttpStatusCode.OK, minted.Status);
            Assert.Equal(HttpStatusCode.OK, (await Control(HttpMethod.Put, "/oauth", new { accessTokenLifetimeSeconds = 30 })).Status);
            var (status, body, _) = await Refresh(minted.Body.GetProperty("refreshToken").GetString()!);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(30, body.GetProperty("expires_in").GetInt32());
            Assert.Equal(Seed.BetaLocation, body.GetProperty("locationId").GetString());
            var access = body.GetProperty("access_token").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/conv-b001", access)).Status);
            Assert.Equal(HttpStatusCode.OK, (await Control(HttpMethod.Post, "/oauth/expire-access-tokens")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/conversations/conv-b001", access)).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Post, "/oauth/refresh-tokens", new { locationId = "loc-nowhere" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Put, "/oauth", new { accessTokenLifetimeSeconds = 0 })).Status);
        }

        [Fact]
        public async Task Bad_client_or_form_is_refused()
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Refresh(Seed.AlphaRefreshToken, secret: "wrong")).Status);
            Assert.True(State.OAuth.IsRefreshTokenValid(Seed.AlphaRefreshToken)); // a refused client does not burn the token
            Assert.Equal((HttpStatusCode)422, (await Refresh(Seed.AlphaRefreshToken, userType: "Robot")).Status);
            Assert.Equal((HttpStatusCode)422, (await Send(HttpMethod.Post, "/oauth/token", token: null, version: null, json: new { grant_type = "refresh_token" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Refresh("rt-unknown")).Status);
        }

        [Fact]
        public async Task Agency_token_gets_an_expiring_location_token()
        {
            State.OAuth.AccessTokenLifetime = ShortLifetime;
            var form = Form(("companyId", Seed.CompanyId), ("locationId", Seed.BetaLocation));
            var (status, body, _) = await Send(HttpMethod.Post, "/oauth/locationToken", token: Seed.AgencyToken, content: form);
            var answeredAt = DateTimeOffset.UtcNow;
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(Seed.BetaLocation, body.GetProperty("locationId").GetString());
            Assert.Equal(3, body.GetProperty("expires_in").GetInt32());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("userId").GetString()));
            var access = body.GetProperty("access_token").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await Get("/conversations/conv-b001", access)).Status);
            Assert.Equal(1, State.OAuth.LocationTokenCount);
            await UntilExpired(answeredAt);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/conversations/conv-b001", access)).Status);

            // Only an agency token may ask; the agency token itself is no location token; the company must own the location.
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/oauth/locationToken", token: Seed.AlphaToken, content: Form(("companyId", Seed.CompanyId), ("locationId", Seed.AlphaLocation)))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Get("/conversations/conv-a001", Seed.AgencyToken)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/oauth/locationToken", token: Seed.AgencyToken, content: Form(("companyId", "other"), ("locationId", Seed.AlphaLocation)))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/oauth/locationToken", token: Seed.AgencyToken, content: Form(("companyId", Seed.CompanyId), ("locationId", "loc-other")))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/oauth/locationToken", token: Seed.AgencyToken, version: null, content: Form(("companyId", Seed.CompanyId), ("locationId", Seed.BetaLocation)))).Status);
        }
    }
}
