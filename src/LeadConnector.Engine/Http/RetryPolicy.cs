using System;
using System.Net.Http;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Decides what to do after a failed attempt: wait and try again, or give up with the error (which then says how many
    /// attempts were made, or that the retry budget stopped them). Which failures to retry and how long to wait are pure
    /// functions of the facts the client supplies (<see cref="ShouldRetry"/>, <see cref="Delay"/>).
    /// </summary>
    internal sealed class RetryPolicy
    {
        [ThreadStatic] private static Random? _random;

        public RetryPolicy(int maxRetries, TimeSpan budget, TimeSpan baseDelay, TimeSpan maxDelay)
        {
            MaxRetries = maxRetries;
            Budget = budget;
            BaseDelay = baseDelay;
            MaxDelay = maxDelay;
        }

        /// <summary>Retries after the first attempt (MaxRetries).</summary>
        public int MaxRetries { get; }
        /// <summary>The longest time from the first attempt to the last (MaxRetryTimeSec).</summary>
        public TimeSpan Budget { get; }
        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }

        /// <summary>
        /// After attempt number <paramref name="attempt"/> (1-based) failed, <paramref name="elapsed"/> after the first
        /// began: null and the <paramref name="delay"/> before the next attempt, or the error to throw.
        /// </summary>
        public LcException? Decide(HttpMethod method, int attempt, Failure failure, TimeSpan elapsed, out TimeSpan delay) =>
            Decide(method, attempt, failure, elapsed, NextRandom(), out delay);

        /// <summary><see cref="Decide(HttpMethod, int, Failure, TimeSpan, out TimeSpan)"/> with the jitter's random number given.</summary>
        public LcException? Decide(HttpMethod method, int attempt, Failure failure, TimeSpan elapsed, double random, out TimeSpan delay)
        {
            delay = TimeSpan.Zero;
            if (attempt > MaxRetries || !ShouldRetry(method, failure.Kind, failure.Status))
                return Finish(failure.Error, attempt);
            delay = Delay(attempt, BaseDelay, MaxDelay, failure.RetryAfter, failure.Interval, random);
            if (elapsed + delay > Budget)
                return Finish(failure.Error, attempt, $" Gave up: waiting {delay.TotalSeconds:0.0} s more would pass the {Budget.TotalSeconds:0} s retry budget (MaxRetryTimeSec).");
            return null;
        }

        /// <summary>The error as the caller sees it: with the number of attempts, and why the retries stopped.</summary>
        private static LcException Finish(LcException error, int attempts, string? extra = null)
        {
            if (attempts <= 1 && extra == null) return error.WithAttempts(attempts);
            var text = error.Message + (attempts > 1 ? $" (after {attempts} attempts)" : "") + (extra ?? "");
            return new LcException(error.Kind, text, error.InnerException, error.StatusCode, error.Messages, error.TraceId,
                error.Method, error.Path, error.BodySnippet, error.RetryAt, attempts);
        }

        private static double NextRandom() => (_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();

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
