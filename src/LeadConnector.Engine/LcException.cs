using System;
using System.Collections.Generic;
using System.Linq;

namespace LeadConnector
{
    /// <summary>
    /// The one exception type the engine throws for anything that goes wrong with a call.
    /// Its text never contains the access token.
    /// </summary>
    public sealed class LcException : Exception
    {
        internal LcException(LcErrorKind kind, string message, Exception? inner = null,
            int? statusCode = null, IReadOnlyList<string>? messages = null, string? traceId = null,
            string? method = null, string? path = null, string? bodySnippet = null,
            DateTimeOffset? retryAt = null, int attempts = 0)
            : base(message, inner)
        {
            Kind = kind;
            StatusCode = statusCode;
            Messages = messages ?? Array.Empty<string>();
            TraceId = traceId;
            Method = method;
            Path = path;
            BodySnippet = bodySnippet;
            RetryAt = retryAt;
            Attempts = attempts;
        }

        public LcErrorKind Kind { get; }

        /// <summary>
        /// True when the request may have reached the API and been acted on although no good answer came back (the
        /// connection dropped, no answer in time, a 5xx, a body that could not be read): a create may have happened.
        /// </summary>
        public bool MayHaveArrived =>
            Kind == LcErrorKind.Network || Kind == LcErrorKind.Timeout || Kind == LcErrorKind.ServerError || Kind == LcErrorKind.InvalidResponse;
        /// <summary>The HTTP status, when an answer came back.</summary>
        public int? StatusCode { get; }
        /// <summary>The API's own message or messages (all of a 422's array).</summary>
        public IReadOnlyList<string> Messages { get; }
        public string? TraceId { get; }
        public string? Method { get; }
        /// <summary>The request path, without the query.</summary>
        public string? Path { get; }
        /// <summary>The first bytes of a body that was not the JSON expected.</summary>
        public string? BodySnippet { get; }
        /// <summary>When the limit resets, for rate and quota errors.</summary>
        public DateTimeOffset? RetryAt { get; }
        /// <summary>How many times the request was sent.</summary>
        public int Attempts { get; }

        internal static LcException NoLocation(string message) => new LcException(LcErrorKind.NoLocation, message);

        internal static LcException InvalidInput(string message, Exception? inner = null) =>
            new LcException(LcErrorKind.InvalidInput, message, inner);

        internal static LcException NotConnected() =>
            new LcException(LcErrorKind.NotConnected,
                "Not connected to the LeadConnector API. Run Connect-Lc first, or pass -Connection.");

        internal LcException WithAttempts(int attempts) =>
            new LcException(Kind, Message, InnerException, StatusCode, Messages, TraceId, Method, Path, BodySnippet, RetryAt, attempts);

        internal static string Describe(IEnumerable<string?> parts) =>
            string.Join(", ", parts.Where(p => !string.IsNullOrEmpty(p)));
    }
}
