using System;
using System.Net.Http;

namespace LeadConnector.Engine
{
    /// <summary>Which failures to retry and how long to wait. Pure: the client supplies the facts.</summary>
    internal static class RetryPolicy
    {
        public static bool IsIdempotent(HttpMethod method) => method != HttpMethod.Post && method.Method != "PATCH";

        /// <summary>
        /// GET, PUT and DELETE retry on 429, 502, 503, 504, timeouts and transient network errors.
        /// POST retries only where the request provably did not reach the application: a 429 or a refused connection.
        /// </summary>
        public static bool ShouldRetry(HttpMethod method, FailureKind failure, int? status)
        {
            switch (failure)
            {
                case FailureKind.ConnectionRefused:
                    return true;
                case FailureKind.Status:
                    if (status == 429) return true;
                    return (status == 502 || status == 503 || status == 504) && IsIdempotent(method);
                case FailureKind.Timeout:
                case FailureKind.Network:
                    return IsIdempotent(method);
                default:
                    return false;
            }
        }

        /// <summary>
        /// The wait before retry number <paramref name="retry"/> (1-based): Retry-After when the server gave one,
        /// else the rate-limit interval for a 429 that carries it, else exponential backoff with jitter.
        /// </summary>
        public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter,
            TimeSpan? rateLimitInterval, double random)
        {
            if (random < 0 || random > 1) throw new ArgumentOutOfRangeException(nameof(random));
            if (retryAfter is TimeSpan ra && ra > TimeSpan.Zero)
                return ra + TimeSpan.FromMilliseconds(random * Math.Min(250, baseDelay.TotalMilliseconds));
            if (rateLimitInterval is TimeSpan iv && iv > TimeSpan.Zero)
            {
                var capped = iv < maxDelay ? iv : maxDelay;
                return capped + TimeSpan.FromMilliseconds(random * Math.Min(250, baseDelay.TotalMilliseconds));
            }
            var exp = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
            var ceiling = Math.Min(exp, maxDelay.TotalMilliseconds);
            // "Equal jitter": half fixed, half random, so waits spread out but never collapse to zero.
            return TimeSpan.FromMilliseconds(ceiling / 2 + random * ceiling / 2);
        }
    }
}
