using System.Globalization;
using System.Net.Http.Headers;
#if !NET8_0_OR_GREATER
using System.Linq;
#endif

namespace LeadConnector.Engine
{
    /// <summary>The API's rate-limit headers (contract fact 7), read leniently: a missing or malformed value is null.</summary>
    internal static class RateLimitHeaders
    {
        public const string Max = "X-RateLimit-Max";
        public const string Remaining = "X-RateLimit-Remaining";
        public const string IntervalMs = "X-RateLimit-Interval-Milliseconds";
        public const string DailyRemaining = "X-RateLimit-Daily-Remaining";

        /// <summary>The headers a trace shows (with Retry-After).</summary>
        public static readonly string[] Traced = { Remaining, Max, IntervalMs, DailyRemaining, "Retry-After" };

        /// <summary>A header's first value as a non-negative integer, or null.</summary>
        public static int? Read(HttpResponseHeaders headers, string name)
        {
#if NET8_0_OR_GREATER
            // Read on every response: the non-validated view hands back the stored text without allocating.
            if (!headers.NonValidated.TryGetValues(name, out var values)) return null;
            string? v = null;
            foreach (var value in values)
            {
                v = value;
                break;
            }
#else
            if (!headers.TryGetValues(name, out var values)) return null;
            var v = values.FirstOrDefault();
#endif
            return int.TryParse(v?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }

        /// <summary>True when the answer says the daily quota is used up (X-RateLimit-Daily-Remaining: 0).</summary>
        public static bool DailySpent(HttpResponseHeaders headers) => Read(headers, DailyRemaining) == 0;
    }
}
