using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The handler under the shared HttpClient that lets one request wait for the network synchronously, on the thread
    /// that sent it, when that thread would block on the request anyway (<see cref="LcCall.Blocks"/>: a single call from
    /// the pipeline thread, nothing traced). RestSharp still builds and sends the request and reads the answer; only the
    /// socket waits happen on the caller's thread instead of as a hop to the thread pool and a wake-up back, which over a
    /// fast network was most of what a single call cost beyond PowerShell's own work (measured over loopback: about 150 us of
    /// CPU and 1 to 1.25 pool work items per GET asynchronously, 30 to 50 us and none this way). Every other request (the bulk window,
    /// traced calls, retries after a delay) goes asynchronously, as before.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 only (.NET's synchronous HttpClient path, HTTP/1.1). Cancellation works as for an asynchronous request:
    /// the socket handler closes the connection when the token is cancelled (Ctrl+C, the attempt's timeout), and the body
    /// read (<see cref="BodyReader.Read"/>) closes the response. A platform whose handler cannot send synchronously is
    /// remembered and gets asynchronous requests only.
    /// </remarks>
    internal sealed class BlockingSendHandler : DelegatingHandler
    {
#if NET8_0_OR_GREATER
        /// <summary>The request option that asks for a synchronous send.</summary>
        internal static readonly HttpRequestOptionsKey<bool> Key = new HttpRequestOptionsKey<bool>("LeadConnector.BlockingSend");

        private static int _unsupported;

        // The connections blocking sends use, apart from the asynchronous ones: a socket that has never had an
        // asynchronous operation stays in blocking mode, so a synchronous read waits in the kernel on the caller's thread
        // (no event loop, no pool thread). One asynchronous read would switch it for good, hence a pool of their own.
        private readonly HttpMessageInvoker _blocking;
#endif

        /// <param name="inner">The asynchronous path (every request not marked with <see cref="Ask"/>).</param>
        /// <param name="decompression">The same decompression as <paramref name="inner"/>.</param>
        public BlockingSendHandler(HttpMessageHandler inner, System.Net.DecompressionMethods decompression) : base(inner)
        {
#if NET8_0_OR_GREATER
            _blocking = new HttpMessageInvoker(new SocketsHttpHandler
            {
                // As the asynchronous handler: no redirects, no cookies, gzip/deflate, the platform's TLS validation and proxy.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = decompression,
                ConnectCallback = ConnectBlocking,
            }, disposeHandler: true);
#endif
        }

#if NET8_0_OR_GREATER
        /// <summary>A TCP connection made synchronously (TLS, when asked for, is the handler's, on top of it).</summary>
        private static ValueTask<System.IO.Stream> ConnectBlocking(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using (cancellationToken.Register(static s => ((System.Net.Sockets.Socket)s!).Dispose(), socket))
                    socket.Connect(context.DnsEndPoint.Host, context.DnsEndPoint.Port);
                cancellationToken.ThrowIfCancellationRequested();
                return new ValueTask<System.IO.Stream>(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _blocking.Dispose();
            base.Dispose(disposing);
        }
#endif

        /// <summary>Marks <paramref name="request"/> to be sent synchronously (no-op where that is not possible).</summary>
        internal static void Ask(HttpRequestMessage request)
        {
#if NET8_0_OR_GREATER
            request.Options.Set(Key, true);
#endif
        }

        /// <summary>True where requests can be sent synchronously at all (PowerShell 7), until a handler said it cannot.</summary>
        internal static bool Supported =>
#if NET8_0_OR_GREATER
            Volatile.Read(ref _unsupported) == 0;
#else
            false;
#endif

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
#if NET8_0_OR_GREATER
            if (request.Options.TryGetValue(Key, out var blocking) && blocking && Volatile.Read(ref _unsupported) == 0)
            {
                try
                {
                    return Task.FromResult(_blocking.Send(request, cancellationToken));
                }
                catch (NotSupportedException)
                {
                    // Refused before anything was sent (a protocol or platform without a synchronous path): never ask again.
                    Volatile.Write(ref _unsupported, 1);
                }
                catch (Exception ex)
                {
                    return Task.FromException<HttpResponseMessage>(ex);
                }
            }
#endif
            return base.SendAsync(request, cancellationToken);
        }
    }
}
