using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Turns what one attempt got into a result or an <see cref="LcException"/>: a 2xx body into the caller's value (or
    /// InvalidResponse), any other answer into a <see cref="Failure"/> with the API's error (or the daily quota's), and a
    /// transport exception into a Timeout or Network failure. It decides nothing about retrying, and every text it makes
    /// goes through the connection's <see cref="Redactor"/>.
    /// </summary>
    internal sealed class ResponseClassifier
    {
        private readonly Redactor _redact;
        private readonly TimeProvider _time;
        private readonly Uri _baseUri;
        private readonly int _timeoutSec;

        public ResponseClassifier(Redactor redact, TimeProvider time, Uri baseUri, int timeoutSec)
        {
            _redact = redact;
            _time = time;
            _baseUri = baseUri;
            _timeoutSec = timeoutSec;
        }

        /// <summary>
        /// Null for a 2xx answer; else how it failed. A 429 that says the daily quota is spent gets the quota's error:
        /// <paramref name="daily"/>'s (the gate has learned the answer already) or, unpaced, one from Retry-After.
        /// </summary>
        public Failure? Classify(Answer answer, TimeSpan? retryAfter, string method, string path, DailyQuota? daily)
        {
            if (answer.IsSuccess) return null;
            var status = answer.Status;
            var now = _time.GetUtcNow();
            if (status == 429 && RateLimitHeaders.DailySpent(answer.Headers))
                return new Failure(daily?.Error(method, path) ?? DailyQuota.Error(retryAfter, now, method, path), FailureKind.DailyQuota, status, retryAfter);
            TimeSpan? interval = null;
            if (status == 429 && RateLimitHeaders.Read(answer.Headers, RateLimitHeaders.IntervalMs) is int ms && ms > 0)
                interval = TimeSpan.FromMilliseconds(ms);
            var error = ApiErrors.FromResponse(status, answer.Reason, answer.Body, method, path, _redact,
                retryAfter == null ? (DateTimeOffset?)null : now + retryAfter.Value);
            return new Failure(error, FailureKind.Status, status, retryAfter, interval);
        }

        /// <summary>
        /// A transport exception as a failure: the attempt's own timeout (an <see cref="OperationCanceledException"/> the
        /// caller did not ask for), or a refused, broken or TLS-failed connection. Null for anything else (not ours to explain).
        /// </summary>
        public Failure? FromException(Exception ex, string method, string path)
        {
            if (ex is OperationCanceledException)
                return new Failure(new LcException(LcErrorKind.Timeout, $"The request {method} {path} timed out after {_timeoutSec} s (TimeoutSec).",
                    ex, method: method, path: path), FailureKind.Timeout);
            if (!(ex is HttpRequestException || ex is IOException || ex is SocketException)) return null;
            var kind = Kind(ex);
            var root = ex;
            while (root.InnerException != null) root = root.InnerException;
            var detail = _redact.Apply(root.Message);
            string text = kind == FailureKind.Tls
                ? $"TLS failed for {_baseUri.Host}: {detail} Certificate errors are never ignored ({method} {path})."
                : kind == FailureKind.ConnectionRefused
                    ? $"The connection to {_baseUri.Authority} was refused ({method} {path}): {detail}"
                    : $"The connection broke during {method} {path}: {detail}";
            return new Failure(new LcException(LcErrorKind.Network, text, ex, method: method, path: path), kind);
        }

        /// <summary>What kind of transport failure an exception (or one it wraps) is.</summary>
        internal static FailureKind Kind(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException) return FailureKind.Tls;
                if (e is SocketException se && se.SocketErrorCode == SocketError.ConnectionRefused) return FailureKind.ConnectionRefused;
                if (e is WebException we && we.Status == WebExceptionStatus.ConnectFailure) return FailureKind.ConnectionRefused;
            }
            return FailureKind.Network;
        }

        /// <summary>
        /// A 2xx body read by <paramref name="read"/>. Text that cannot be decoded is refused before the reader sees it; a
        /// <see cref="JsonException"/> from the reader becomes the InvalidResponse "is not valid JSON" error; an
        /// <see cref="LcException"/> passes through. <paramref name="quoteBody"/> false: a token answer, never quoted.
        /// </summary>
        public T Read<T>(byte[] body, int status, string method, string path, Func<byte[], T> read, bool quoteBody)
        {
            try
            {
                // Bodies that surely decode go straight to the reader; the rest are checked once, here, for every reader.
                if (!JsonText.SurelyDecodable(body) && !JsonSource.IsBlank(body) && !JsonText.Decodable(body))
                    throw NotJson(body, status, method, path, null, "holds strings that are not valid text", quoteBody);
                return read(body);
            }
            catch (JsonException ex)
            {
                throw NotJson(body, status, method, path, ex, "is not valid JSON", quoteBody);
            }
        }

        private LcException NotJson(byte[] body, int status, string method, string path, Exception? inner, string what, bool quoteBody)
        {
            var snippet = quoteBody ? ApiErrors.Snippet(body, _redact) : null;
            var shown = quoteBody ? $": '{snippet}'" : $" ({body.Length} bytes, not shown: a token answer)";
            return new LcException(LcErrorKind.InvalidResponse,
                $"The API answered {ApiErrors.StatusText(status, null)} but the body {what}{shown} ({method} {path}).",
                inner, status, method: method, path: path, bodySnippet: snippet);
        }

        /// <summary>The server's Retry-After, as seconds or a date (then from now); null when absent or malformed.</summary>
        public TimeSpan? RetryAfter(HttpResponseHeaders headers)
        {
#if NET8_0_OR_GREATER
            // Most answers have none: skip the typed parse (and its allocations) then.
            if (!headers.NonValidated.Contains("Retry-After")) return null;
#endif
            try
            {
                var ra = headers.RetryAfter;
                if (ra?.Delta is TimeSpan d) return d < TimeSpan.Zero ? TimeSpan.Zero : d;
                if (ra?.Date is DateTimeOffset date)
                {
                    var wait = date - _time.GetUtcNow();
                    return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                }
            }
            catch (FormatException) { }
            if (headers.TryGetValues("Retry-After", out var raw) &&
                double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) &&
                secs >= 0 && secs < 86400 * 2)
                return TimeSpan.FromSeconds(secs);
            return null;
        }

        /// <summary>The caller cancelled (Ctrl+C, a pipeline stopped).</summary>
        public static LcException Cancelled(string method, string path, int attempts) =>
            new LcException(LcErrorKind.Cancelled, $"The request {method} {path} was cancelled.", method: method, path: path, attempts: attempts);
    }
}
