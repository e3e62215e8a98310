using System;

namespace LeadConnector.Engine
{
    /// <summary>How one attempt failed: the error to report, and the facts the retry policy decides on.</summary>
    internal sealed class Failure
    {
        public Failure(LcException error, FailureKind kind, int? status = null, TimeSpan? retryAfter = null, TimeSpan? interval = null)
        {
            Error = error;
            Kind = kind;
            Status = status;
            RetryAfter = retryAfter;
            Interval = interval;
        }

        public LcException Error { get; }
        public FailureKind Kind { get; }
        /// <summary>The HTTP status, when an answer came back.</summary>
        public int? Status { get; }
        /// <summary>The server's Retry-After.</summary>
        public TimeSpan? RetryAfter { get; }
        /// <summary>The rate-limit window of a 429 (X-RateLimit-Interval-Milliseconds).</summary>
        public TimeSpan? Interval { get; }

        /// <summary>The failure in a few words, for "Retrying ... after ...".</summary>
        public string Reason =>
            Kind == FailureKind.Status ? ApiErrors.StatusText(Error.StatusCode ?? 0, null)
            : Kind == FailureKind.Timeout ? "a timeout"
            : Kind == FailureKind.ConnectionRefused ? "a refused connection"
            : "a network error";
    }
}
