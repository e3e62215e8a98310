using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>Reads a response body whole, refusing one past <see cref="MaxBodyBytes"/> instead of exhausting memory.</summary>
    internal static class BodyReader
    {
        /// <summary>Largest body read; anything bigger is refused with a clear error.</summary>
        internal const int MaxBodyBytes = 64 * 1024 * 1024;

        public static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken ct, string method, string path)
        {
            if (response.Content == null) return Array.Empty<byte>();
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxBodyBytes) throw TooLarge(response, method, path);
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            if (declared == 0) return Array.Empty<byte>();
            // A pooled chunk: a fresh 80 KB array per request was most of the client's own allocation.
            var chunk = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                if (declared is long exact)
                {
                    // The usual case: the length is known, so read straight into a body-sized array.
                    var body = new byte[exact];
                    int read = 0;
                    while (read < body.Length)
                    {
                        int n = await stream.ReadAsync(body, read, body.Length - read, ct).ConfigureAwait(false);
                        if (n == 0) throw new IOException($"The connection closed after {read} of {exact} body bytes.");
                        read += n;
                    }
                    // More than declared is not expected; read on (capped) so a lying length cannot hide a body.
                    int extra = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false);
                    if (extra == 0) return body;
                    using var more = new MemoryStream();
                    more.Write(body, 0, body.Length);
                    more.Write(chunk, 0, extra);
                    return await ReadRestAsync(stream, more, chunk, response, ct, method, path).ConfigureAwait(false);
                }
                using var buffer = new MemoryStream();
                return await ReadRestAsync(stream, buffer, chunk, response, ct, method, path).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        /// <summary>
        /// The same, reading synchronously on the calling thread (after a <see cref="BlockingSendHandler"/> send). A
        /// blocking read has no cancellation of its own, so a cancelled <paramref name="ct"/> (Ctrl+C, the attempt's
        /// timeout) closes the response, which ends the read; that ending is reported as the cancellation it is.
        /// </summary>
        public static byte[] Read(HttpResponseMessage response, CancellationToken ct, string method, string path)
        {
#if NET8_0_OR_GREATER
            if (response.Content == null) return Array.Empty<byte>();
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxBodyBytes) throw TooLarge(response, method, path);
            using var abort = ct.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            try
            {
                using var stream = response.Content.ReadAsStream(ct);
                if (declared == 0) return Array.Empty<byte>();
                var chunk = ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    MemoryStream buffer;
                    if (declared is long exact)
                    {
                        var body = new byte[exact];
                        int read = 0;
                        while (read < body.Length)
                        {
                            int n = stream.Read(body, read, body.Length - read);
                            if (n == 0) throw new IOException($"The connection closed after {read} of {exact} body bytes.");
                            read += n;
                        }
                        int extra = stream.Read(chunk, 0, chunk.Length);
                        if (extra == 0) return body;
                        buffer = new MemoryStream();
                        buffer.Write(body, 0, body.Length);
                        buffer.Write(chunk, 0, extra);
                    }
                    else buffer = new MemoryStream();
                    using (buffer)
                    {
                        while (true)
                        {
                            if (buffer.Length > MaxBodyBytes) throw TooLarge(response, method, path);
                            int n = stream.Read(chunk, 0, chunk.Length);
                            if (n == 0) break;
                            if (buffer.Length + n > MaxBodyBytes) throw TooLarge(response, method, path);
                            buffer.Write(chunk, 0, n);
                        }
                        return buffer.ToArray();
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
            catch (Exception ex) when (ct.IsCancellationRequested && (ex is IOException || ex is ObjectDisposedException || ex is HttpRequestException))
            {
                throw new OperationCanceledException("The read of the answer was cancelled.", ex, ct);
            }
#else
            throw new PlatformNotSupportedException("Synchronous reads need PowerShell 7.");
#endif
        }

        private static async Task<byte[]> ReadRestAsync(Stream stream, MemoryStream buffer, byte[] chunk, HttpResponseMessage response,
            CancellationToken ct, string method, string path)
        {
            if (buffer.Length > MaxBodyBytes) throw TooLarge(response, method, path);
            while (true)
            {
                int n = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > MaxBodyBytes) throw TooLarge(response, method, path);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }

        private static LcException TooLarge(HttpResponseMessage response, string method, string path) =>
            new LcException(LcErrorKind.InvalidResponse,
                $"The API answered {ApiErrors.StatusText((int)response.StatusCode, response.ReasonPhrase)} with a body larger than {MaxBodyBytes / (1024 * 1024)} MiB; it was not read ({method} {path}).",
                statusCode: (int)response.StatusCode, method: method, path: path);
    }
}
