using System;
using System.Collections.Generic;
using System.Linq;

namespace LeadConnector.Tests.Engine
{
    public class PagerTests
    {
        // Search pages as ConversationOperations.SearchAsync builds them: the cursor is the last document's sort value.
        private static CursorPage<Conversation> Page(int from, int count, int total)
        {
            var items = Enumerable.Range(from, count).Select(i => new Conversation { Id = "c" + i, SortValue = (10_000 - i).ToString() }).ToList();
            return new CursorPage<Conversation>(items, items.Count > 0 ? items[^1].SortValue : null, null, total);
        }

        private static CursorPager<Conversation> SearchPager(int? pageSize, int? first, bool all) =>
            new CursorPager<Conversation>(pageSize, first, all, ConversationOperations.DefaultPageSize, ConversationOperations.MaxPageSize);

        [Fact]
        public void Without_all_or_first_it_stops_after_one_page_and_says_so()
        {
            var p = SearchPager(null, null, false);
            Assert.Null(p.NextLimit());
            Assert.Equal(20, p.Accept(Page(0, 20, 45)).Count);
            Assert.True(p.Done);
            Assert.True(p.StoppedAtFirstPage);
            Assert.Equal(45, p.Total);
        }

        [Fact]
        public void All_reads_to_the_end_with_the_last_sort_value_as_cursor()
        {
            var p = SearchPager(20, null, true);
            int n = 0;
            while (!p.Done)
            {
                Assert.Equal(20, p.NextLimit());
                var count = Math.Min(20, 45 - n);
                p.Accept(Page(n, count, 45));
                n += count;
                if (!p.Done) Assert.Equal((10_000 - (n - 1)).ToString(), p.Cursor);
            }
            Assert.Equal(45, p.Returned);
            Assert.False(p.StoppedAtFirstPage);
        }

        [Fact]
        public void First_asks_only_for_what_it_needs_and_trims()
        {
            var p = SearchPager(20, 25, false);
            Assert.Equal(20, p.NextLimit());
            p.Accept(Page(0, 20, 45));
            Assert.False(p.Done);
            Assert.Equal(5, p.NextLimit());
            Assert.Equal(5, p.Accept(Page(20, 10, 45)).Count); // a server that sends more than asked is trimmed
            Assert.True(p.Done);
            Assert.Equal(25, p.Returned);
        }

        [Fact]
        public void A_cursor_that_does_not_advance_stops_paging()
        {
            var p = SearchPager(2, null, true);
            p.NextLimit();
            p.Accept(Page(0, 2, 100));
            p.NextLimit();
            p.Accept(Page(0, 2, 100));
            Assert.True(p.Done);
        }

        [Fact]
        public void First_zero_sends_nothing() => Assert.True(SearchPager(null, 0, false).Done);

        [Theory]
        [InlineData(0)]
        [InlineData(101)]
        public void Page_size_out_of_range_is_refused(int size) =>
            Assert.Equal(LcErrorKind.InvalidInput, Assert.Throws<LcException>(() => SearchPager(size, null, false)).Kind);
    }

    public class ConnectionTests
    {
        [Theory]
        [InlineData("http://api.example.com")]
        [InlineData("http://10.0.0.1")]
        [InlineData("ftp://127.0.0.1")]
        [InlineData("https://user:pass@api.example.com")]
        [InlineData("https://api.example.com/?x=1")]
        public void Unsafe_base_uris_are_refused(string uri) =>
            Assert.Equal(LcErrorKind.InvalidInput, Assert.Throws<LcException>(() =>
                Connection.Create(new ConnectionOptions { AccessToken = "pit-x", BaseUri = new Uri(uri) })).Kind);

        [Theory]
        [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
        [InlineData("http://localhost:1", "http://localhost:1/")]
        [InlineData("http://[::1]:5080", "http://[::1]:5080/")]
        [InlineData("https://services.leadconnectorhq.com", "https://services.leadconnectorhq.com/")]
        [InlineData("https://proxy.example.com/lc", "https://proxy.example.com/lc/")]
        public void Https_and_loopback_http_are_accepted(string uri, string normalised) =>
            Assert.Equal(normalised, Connection.Create(new ConnectionOptions { AccessToken = "pit-x", BaseUri = new Uri(uri) }).BaseUri.ToString());

        [Fact]
        public void Defaults_are_the_documented_ones()
        {
            var c = Connection.Create(new ConnectionOptions { AccessToken = "pit-x" });
            Assert.Equal("https://services.leadconnectorhq.com/", c.BaseUri.ToString());
            Assert.Equal("2021-07-28", c.ApiVersion);
            Assert.Equal(5, c.MaxRetries);
            Assert.Equal(100, c.TimeoutSec);
            Assert.Equal(300, c.MaxRetryTimeSec);
            Assert.Equal(TokenKind.PrivateIntegration, c.TokenKind);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("abc\r\nX-Evil: 1")]
        [InlineData("abc def")]
        [InlineData("tökén")]
        public void Bad_tokens_are_refused_without_echoing_them(string token)
        {
            var ex = Assert.Throws<LcException>(() => Connection.Create(new ConnectionOptions { AccessToken = token }));
            if (token.Trim().Length > 0) Assert.DoesNotContain(token, ex.Message);
        }

        [Fact]
        public void Token_kind_is_read_from_a_jwt_auth_class()
        {
            string Jwt(string payload) => "eyJhbGciOiJIUzI1NiJ9." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";
            Assert.Equal(TokenKind.OAuthLocation, Connection.Create(new ConnectionOptions { AccessToken = Jwt("{\"authClass\":\"Location\"}") }).TokenKind);
            Assert.Equal(TokenKind.OAuthAgency, Connection.Create(new ConnectionOptions { AccessToken = Jwt("{\"authClass\":\"Company\"}") }).TokenKind);
            Assert.Equal(TokenKind.Unknown, Connection.Create(new ConnectionOptions { AccessToken = "opaque-token" }).TokenKind);
        }

        [Theory]
        [InlineData(-1, 100)]
        [InlineData(21, 100)]
        [InlineData(5, 0)]
        [InlineData(5, 3601)]
        public void Out_of_range_settings_are_refused(int retries, int timeout) =>
            Assert.Throws<LcException>(() => Connection.Create(new ConnectionOptions { AccessToken = "pit-x", MaxRetries = retries, TimeoutSec = timeout }));
    }
}
