using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.TestLocations;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The RestSharp transport with the engine's real handler, over loopback sockets: redirects, cookies, decompression,
    /// exact headers and query, refused connections, the body cap and RestSharp's own timeout.
    /// </summary>
    public class TransportTests
    {
        private const string Conv = "{\"id\":\"c1\",\"locationId\":\"loc-alpha\",\"contactId\":\"k1\",\"type\":1}";
        private static readonly LcCall Call = new LcCall(CancellationToken.None);

        /// <summary>A one-route HTTP server on 127.0.0.1 that records what arrived.</summary>
        private sealed class Loopback : IDisposable
        {
            private readonly HttpListener _listener = new HttpListener();
            private readonly Func<HttpListenerContext, int, Task> _answer;
            private int _count;

            public Loopback(Func<HttpListenerContext, int, Task> answer)
            {
                _answer = answer;
                Port = FreePort();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                _ = Task.Run(LoopAsync);
            }

            public int Port { get; }
            public Uri BaseUri => new Uri($"http://127.0.0.1:{Port}/");
            public List<(string Method, string RawUrl, WebHeaderCollection Headers)> Seen { get; } = new();

            private async Task LoopAsync()
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try { ctx = await _listener.GetContextAsync(); }
                    catch { return; }
                    int n;
                    lock (Seen) { Seen.Add((ctx.Request.HttpMethod, ctx.Request.RawUrl!, (WebHeaderCollection)ctx.Request.Headers)); n = _count++; }
                    try { await _answer(ctx, n); } catch { }
                    try { ctx.Response.Close(); } catch { }
                }
            }

            public void Dispose() { try { _listener.Stop(); _listener.Close(); } catch { } }
        }

        private static Connection Real(Uri baseUri, int maxRetries = 0, string? token = null) =>
            Connection.Create(new ConnectionOptions
            {
                AccessToken = token ?? TestConnections.Token, LocationId = "loc-alpha", BaseUri = baseUri,
                MaxRetries = maxRetries, TimeoutSec = 10,
                RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(20),
            }, new EngineServices(pacing: false));

        private static async Task Write(HttpListenerContext ctx, int status, string body, params (string, string)[] headers)
        {
            ctx.Response.StatusCode = status;
            foreach (var (k, v) in headers) ctx.Response.Headers[k] = v;
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        }

        [Fact]
        public async Task A_redirect_to_another_host_is_not_followed_and_the_token_goes_nowhere_else()
        {
            using var other = new Loopback((ctx, _) => Write(ctx, 200, Conv));
            using var api = new Loopback((ctx, _) =>
                Write(ctx, 302, "", ("Location", other.BaseUri + "conversations/c1")));
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(Real(api.BaseUri)).GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("302", ex.Message);
            Assert.Single(api.Seen);
            Assert.Empty(other.Seen);
        }

        [Fact]
        public async Task Headers_are_exactly_ours_and_cookies_are_never_sent_back()
        {
            using var api = new Loopback((ctx, _) => Write(ctx, 200, Conv, ("Set-Cookie", "session=abc; Path=/")));
            var c = Real(api.BaseUri);
            await new ConversationOperations(c).GetAsync("c1", Call);
            await new ConversationOperations(c).GetAsync("c1", Call);
            Assert.Equal(2, api.Seen.Count);
            foreach (var (_, _, headers) in api.Seen)
            {
                Assert.Equal("Bearer " + TestConnections.Token, headers["Authorization"]);
                Assert.Equal("2021-07-28", headers["Version"]);
                Assert.Equal("application/json", headers["Accept"]); // not RestSharp's list of serializer types
                Assert.StartsWith("LeadConnector-PowerShell/", headers["User-Agent"]);
                Assert.Null(headers["Cookie"]);
            }
        }

        [Fact]
        public async Task The_query_goes_out_exactly_as_InputGuard_built_it()
        {
            using var api = new Loopback((ctx, _) => Write(ctx, 200, "{\"conversations\":[],\"total\":0}"));
            var pairs = new[]
            {
                new KeyValuePair<string, string>("zeta", "1"),
                new KeyValuePair<string, string>("query", "a b+c/d?e&f=g%h é"),
                new KeyValuePair<string, string>("alpha", "[1,2]"),
            };
            await Real(api.BaseUri).Client.SendAsync(HttpMethod.Get, "conversations/search", pairs, null, Call);
            Assert.Equal("/conversations/search" + InputGuard.Query(pairs), Assert.Single(api.Seen).RawUrl);
        }

        [Fact]
        public async Task A_gzip_body_is_decompressed()
        {
            using var api = new Loopback(async (ctx, _) =>
            {
                using var ms = new MemoryStream();
                using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
                    gz.Write(Encoding.UTF8.GetBytes(Conv));
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json";
                ctx.Response.Headers["Content-Encoding"] = "gzip";
                ctx.Response.ContentLength64 = ms.Length;
                await ctx.Response.OutputStream.WriteAsync(ms.ToArray());
            });
            var conv = await new ConversationOperations(Real(api.BaseUri)).GetAsync("c1", Call);
            Assert.Equal("c1", conv.Id);
            Assert.Contains("gzip", Assert.Single(api.Seen).Headers["Accept-Encoding"]);
        }

        [Fact]
        public async Task A_refused_connection_is_classified_through_RestSharp_and_even_a_POST_is_retried()
        {
            var closed = new Uri($"http://127.0.0.1:{FreePort()}/");
            var ex = await Assert.ThrowsAsync<LcException>(() =>
                new ConversationOperations(Real(closed, maxRetries: 2)).CreateAsync(null, "k1", Call));
            Assert.Equal(LcErrorKind.Network, ex.Kind);
            Assert.Contains("refused", ex.Message);
            Assert.Equal(3, ex.Attempts);
            Assert.DoesNotContain(TestConnections.Token, ex.ToString());
        }

        [Fact]
        public async Task A_dropped_connection_is_a_network_error_and_a_POST_is_not_repeated()
        {
            // A raw socket that reads the request and resets the connection without answering.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int accepted = 0;
            var server = Task.Run(async () =>
            {
                while (true)
                {
                    Socket s;
                    try { s = await listener.AcceptSocketAsync(); } catch { return; }
                    Interlocked.Increment(ref accepted);
                    var buf = new byte[8192];
                    try { await s.ReceiveAsync(buf, SocketFlags.None); } catch { }
                    s.LingerState = new LingerOption(true, 0); // RST, not FIN
                    s.Close();
                }
            });
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var ex = await Assert.ThrowsAsync<LcException>(() =>
                    new ConversationOperations(Real(new Uri($"http://127.0.0.1:{port}/"), maxRetries: 3)).CreateAsync(null, "k1", Call));
                Assert.True(ex.Kind == LcErrorKind.Network, ex.Kind + ": " + ex.Message);
                Assert.DoesNotContain("refused", ex.Message);
                Assert.Equal(1, Volatile.Read(ref accepted)); // the POST may have arrived: never repeated
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public void RestSharps_own_timeout_never_cuts_in_before_TimeoutSec()
        {
            var options = RestTransport.Options(new Uri("http://127.0.0.1:1/"));
            Assert.Equal(Timeout.InfiniteTimeSpan, options.Timeout);
            Assert.False(options.FollowRedirects);
        }

        /// <summary>A body that never ends and is never held in memory by the test.</summary>
        private sealed class EndlessStream : Stream
        {
            public long Served;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => Served; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) { Array.Fill(buffer, (byte)' ', offset, count); Served += count; return count; }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        [Fact]
        public async Task A_body_without_a_length_is_read_no_further_than_the_cap()
        {
            var endless = new EndlessStream();
            var h = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(endless) });
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h, maxRetries: 0)).GetAsync("c1", Call));
            Assert.Equal(LcErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("larger than 64 MiB", ex.Message);
            Assert.InRange(endless.Served, BodyReader.MaxBodyBytes, BodyReader.MaxBodyBytes + 1024 * 1024);
        }

        [Fact]
        public async Task A_declared_length_over_the_cap_is_refused_before_reading()
        {
            var endless = new EndlessStream();
            var h = new FakeHandler((_, _) =>
            {
                var content = new StreamContent(endless);
                content.Headers.ContentLength = BodyReader.MaxBodyBytes + 1L;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            });
            var ex = await Assert.ThrowsAsync<LcException>(() => new ConversationOperations(TestConnections.Fake(h, maxRetries: 0)).GetAsync("c1", Call));
            Assert.Contains("larger than 64 MiB", ex.Message);
            Assert.Equal(0, endless.Served);
        }
    }
}
