using System;
using System.Globalization;

namespace LeadConnector.Engine
{
    /// <summary>The two ways the engine writes a moment, each written once: in messages, and in request bodies.</summary>
    internal static class IsoDate
    {
        /// <summary>As messages and traces show it: "2026-03-14 09:26:53Z" (UTC, whatever the culture).</summary>
        public static string Shown(DateTimeOffset moment) =>
            moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

        /// <summary>As request bodies send it: ISO 8601 in UTC with milliseconds, "2026-03-14T09:26:53.000Z".</summary>
        public static string Wire(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
