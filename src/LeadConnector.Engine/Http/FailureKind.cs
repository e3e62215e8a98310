using System;

namespace LeadConnector.Engine
{
    /// <summary>How a failed attempt ended, for the retry decision.</summary>
    internal enum FailureKind
    {
        /// <summary>An HTTP status came back.</summary>
        Status,
        /// <summary>The per-request timeout fired.</summary>
        Timeout,
        /// <summary>The connection was refused: the request never left this machine.</summary>
        ConnectionRefused,
        /// <summary>The connection broke after the request may have been sent (reset, dropped, truncated body).</summary>
        Network,
        /// <summary>TLS failed (for example an untrusted certificate): permanent, never retried, never ignored.</summary>
        Tls,
        /// <summary>A 429 that says the daily quota is spent (X-RateLimit-Daily-Remaining: 0): never retried.</summary>
        DailyQuota,
    }
}
