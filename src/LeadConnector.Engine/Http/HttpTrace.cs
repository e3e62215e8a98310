using System;
using System.Text;

namespace LeadConnector.Engine
{
    /// <summary>
    /// The debug trace of one attempt, written only when someone listens. Every line goes through the connection's
    /// <see cref="Redactor"/>, and the Authorization header is never shown.
    /// </summary>
    internal static class HttpTrace
    {
        public static void Request(LcCall call, Redactor redact, string method, Uri uri, string version, string? body, int attempt)
        {
            if (call.Trace == null) return;
            var sb = new StringBuilder();
            sb.Append($"HTTP request (attempt {attempt}): {method} {uri}");
            sb.Append("\n  Authorization: Bearer ***");
            sb.Append($"\n  Version: {version}");
            if (body != null) sb.Append($"\n  Body ({Encoding.UTF8.GetByteCount(body)} bytes): {Truncate(redact.Apply(body), 500)}");
            call.Debug(redact.Apply(sb.ToString()));
        }

        public static void Response(LcCall call, Redactor redact, Answer answer, TimeSpan elapsed)
        {
            if (call.Trace == null) return;
            var sb = new StringBuilder();
            sb.Append($"HTTP response: {ApiErrors.StatusText(answer.Status, answer.Reason)} in {elapsed.TotalMilliseconds:0} ms, {answer.Body.Length} bytes");
            foreach (var h in RateLimitHeaders.Traced)
                if (answer.Headers.TryGetValues(h, out var v)) sb.Append($"\n  {h}: {Truncate(string.Join(",", v), 40)}");
            sb.Append($"\n  Body: {ApiErrors.Snippet(answer.Body, redact, 500)}");
            call.Debug(redact.Apply(sb.ToString()));
        }

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "…";
    }
}
