using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using RestSharp;
using RestSharp.Interceptors;

namespace LeadConnector.Engine
{
    /// <summary>
    /// PUTs a file's bytes to a signed storage URL (the one POST /conversations/messages/upload/initiate returns), through
    /// RestSharp over the shared HttpClient. The URL carries its own signature: no Authorization or Version header is
    /// sent to it, so the token never leaves for the storage host. The file streams from disk in chunks, reporting the
    /// bytes sent; it is never loaded whole.
    /// </summary>
    internal static class SignedUpload
    {
        private const int ChunkSize = 81920;

        /// <summary>
        /// Sends the file; throws <see cref="LcException"/> (ServerError, InvalidRequest, Network, Timeout) when the
        /// storage refuses it or cannot be reached. Not retried: the caller decides (the storage URL is PUT, idempotent,
        /// but the API's initiate/complete around it are not).
        /// </summary>
        public static async Task PutAsync(Uri url, string path, string contentType, Action<long>? progress, TimeSpan stallTimeout,
            LcCall call)
        {
            var shown = url.GetLeftPart(UriPartial.Path);
            // Over the shared HttpClient, which disposing this RestClient leaves open.
            using var client = new RestClient(RestTransport.SharedHttp(), new RestClientOptions
            {
                FollowRedirects = false,
                Timeout = Timeout.InfiniteTimeSpan,
                UserAgent = null,
                ThrowOnAnyError = false,
            }, disposeHttpClient: false);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true))
            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken))
            {
                var body = new ProgressContent(file, contentType, progress, () => stall.CancelAfter(stallTimeout));
                var request = new RestRequest(url, Method.Put)
                {
                    CompletionOption = HttpCompletionOption.ResponseContentRead,
                    Timeout = Timeout.InfiniteTimeSpan,
                    Interceptors = new List<Interceptor> { new WithBody(body) },
                };
                if (call.HasTrace) call.Verbose($"PUT {shown} ({file.Length} bytes, {contentType}; signed URL, no Authorization header)");
                stall.CancelAfter(stallTimeout);
                RestResponse response;
                try
                {
                    response = await client.ExecuteAsync(request, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
                {
                    throw new LcException(LcErrorKind.Cancelled, $"PUT {shown} was cancelled.");
                }
                if (response.ErrorException != null || response.ResponseStatus != ResponseStatus.Completed || response.StatusCode == 0)
                {
                    if (call.CancellationToken.IsCancellationRequested) throw new LcException(LcErrorKind.Cancelled, $"PUT {shown} was cancelled.");
                    if (stall.IsCancellationRequested)
                        throw new LcException(LcErrorKind.Timeout, $"The upload to the signed URL {shown} made no progress for {stallTimeout.TotalSeconds:0} s.");
                    throw new LcException(LcErrorKind.Network, $"The upload to the signed URL {shown} failed: {response.ErrorException?.Message ?? response.ErrorMessage}",
                        response.ErrorException);
                }
                var status = (int)response.StatusCode;
                if (status < 200 || status > 299)
                {
                    var kind = status >= 500 ? LcErrorKind.ServerError : status == 403 || status == 401 ? LcErrorKind.Forbidden : LcErrorKind.InvalidRequest;
                    throw new LcException(kind, $"The storage refused the upload to the signed URL {shown} (HTTP {status} {response.StatusDescription}).", null, status);
                }
                if (call.HasTrace) call.Verbose($"PUT {shown}: HTTP {status}.");
            }
        }

        /// <summary>Sets the streamed body on the request message RestSharp built (it has no stream body of its own).</summary>
        private sealed class WithBody : Interceptor
        {
            private readonly HttpContent _content;
            public WithBody(HttpContent content) => _content = content;

            public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
            {
                requestMessage.Content = _content;
                requestMessage.Headers.Remove("Authorization");
                return default;
            }
        }

        /// <summary>A file's bytes, read and sent a chunk at a time, reporting the running total.</summary>
        private sealed class ProgressContent : HttpContent
        {
            private readonly Stream _source;
            private readonly Action<long>? _progress;
            private readonly Action _alive;

            public ProgressContent(Stream source, string contentType, Action<long>? progress, Action alive)
            {
                _source = source;
                _progress = progress;
                _alive = alive;
                Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                Headers.ContentLength = source.Length;
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                var buffer = new byte[ChunkSize];
                long sent = 0;
                _source.Position = 0;
                int read;
                while ((read = await _source.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    sent += read;
                    _alive();
                    _progress?.Invoke(sent);
                }
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _source.Length;
                return true;
            }

            // The FileStream belongs to the caller, which disposes it after the request.
            protected override void Dispose(bool disposing) { }
        }
    }
}
