using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>Turns an HTTP error answer into an <see cref="LcException"/> with every fact the API gave.</summary>
    internal static class ApiErrors
    {
        public static LcErrorKind KindFor(int status)
        {
            switch (status)
            {
                case 400: case 422: return LcErrorKind.InvalidRequest;
                case 401: return LcErrorKind.Unauthorized;
                case 403: return LcErrorKind.Forbidden;
                case 404: return LcErrorKind.NotFound;
                case 429: return LcErrorKind.RateLimited;
            }
            if (status >= 500) return LcErrorKind.ServerError;
            if (status >= 400) return LcErrorKind.InvalidRequest;
            return LcErrorKind.InvalidResponse; // 1xx/3xx: redirects are not followed, so the token never travels elsewhere
        }

        public static LcException FromResponse(int status, string? reason, byte[] body, string method, string path,
            Redactor redact, DateTimeOffset? retryAt = null)
        {
            var messages = new List<string>();
            string? traceId = null;
            string? snippet = null;
            if (TryRead(body, out var error))
            {
                if (error.Message != null) messages.AddRange(error.Message);
                if (messages.Count == 0 && error.Error is string err) messages.Add(err);
                traceId = error.TraceId;
            }
            else
            {
                snippet = Snippet(body, redact);
            }

            for (int i = 0; i < messages.Count; i++) messages[i] = redact.Apply(messages[i]);
            if (traceId != null) traceId = redact.Apply(traceId);

            var statusText = StatusText(status, reason);
            var facts = LcException.Describe(new[] { statusText, $"{method} {path}", traceId == null ? null : $"traceId {traceId}" });
            string text;
            if (messages.Count > 0)
                text = $"{string.Join("; ", messages)} ({facts})";
            else if (snippet != null && snippet.Length > 0)
                text = $"The API answered {statusText} with a body that is not JSON: '{snippet}' ({method} {path})";
            else
                text = $"The API answered {statusText} with no message ({facts})";
            return new LcException(KindFor(status), text, null, status, messages, traceId, method, path, snippet, retryAt);
        }

        public static string StatusText(int status, string? reason)
        {
            var r = string.IsNullOrWhiteSpace(reason) ? DefaultReason(status) : reason;
            return string.IsNullOrEmpty(r) ? $"HTTP {status}" : $"HTTP {status} {r}";
        }

        private static string DefaultReason(int status)
        {
            if (status == 422) return "Unprocessable Entity";
            if (status == 429) return "Too Many Requests";
            var name = Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "";
            var sb = new StringBuilder();
            foreach (var c in name)
            {
                if (char.IsUpper(c) && sb.Length > 0) sb.Append(' ');
                sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>The fields of an error body the contract names (400, 401, 422): message (a string or an array), error, traceId.</summary>
        private sealed class ErrorBody
        {
            public List<string>? Message;
            public string? Error;
            public string? TraceId;
        }

        private static readonly FieldMap<ErrorBody> ErrorFields = new FieldMap<ErrorBody>(() => new ErrorBody())
            .Add("message", (ref JsonSource s, ErrorBody e) => e.Message = Messages(ref s))
            .Add("error", (ref JsonSource s, ErrorBody e) => e.Error = s.String())
            .Add("traceId", (ref JsonSource s, ErrorBody e) => e.TraceId = s.String());

        /// <summary>A string, or each item of an array (strings as text, anything else as its JSON); null for any other value.</summary>
        private static List<string>? Messages(ref JsonSource s)
        {
            if (s.Token == JsonTokenType.String) return new List<string> { s.Reader.GetString()! };
            if (s.Token != JsonTokenType.StartArray)
            {
                s.Skip();
                return null;
            }
            var list = new List<string>();
            while (s.Reader.Read() && s.Token != JsonTokenType.EndArray)
                list.Add(s.Token == JsonTokenType.String ? s.Reader.GetString()! : s.RawValue());
            return list;
        }

        /// <summary>
        /// The error body when it is a JSON object whose text decodes; false for anything else (HTML from a proxy, a
        /// bare string, invalid JSON or text), which the message then quotes instead.
        /// </summary>
        private static bool TryRead(byte[] body, out ErrorBody error)
        {
            error = null!;
            if (body.Length == 0) return false;
            try
            {
                return (JsonText.SurelyDecodable(body) || JsonText.Decodable(body)) && ErrorFields.TryReadBody(body, out error);
            }
            catch (JsonException) { return false; }
        }

        /// <summary>
        /// The first characters of a body, printable, for messages about bodies that are not what was expected.
        /// The token is masked before the cut, so a token that straddles the cut cannot leak in part.
        /// </summary>
        public static string Snippet(byte[] body, Redactor redact, int max = 160)
        {
            // Decode well past the cut: the masking must see any token that starts before it whole.
            var text = redact.Apply(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, max * 4 + 16 * 1024)));
            var sb = new StringBuilder();
            foreach (var c in text)
            {
                if (sb.Length >= max) { sb.Append('…'); break; }
                sb.Append(c == '\r' || c == '\n' || c == '\t' ? ' ' : char.IsControl(c) ? '?' : c);
            }
            return sb.ToString().Trim();
        }
    }
}
