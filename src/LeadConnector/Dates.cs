using System;
using System.Globalization;

namespace LeadConnector.Commands
{
    /// <summary>The dates of the cmdlet layer, one rule each: what a date users give means, and how a date is written.</summary>
    internal static class Dates
    {
        /// <summary>
        /// The instant <paramref name="value"/> means, in UTC: a UTC date as it is, a local one converted, and one of
        /// unspecified kind (<c>[datetime] '2024-05-01 09:00'</c>, <c>Get-Date</c> output after arithmetic) read as local time.
        /// </summary>
        internal static DateTimeOffset? AsUtc(DateTime? value)
        {
            if (value == null) return null;
            var v = value.Value;
            return new DateTimeOffset(v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Local).ToUniversalTime());
        }

        /// <summary>ISO 8601 in UTC with milliseconds (2024-05-01T07:00:00.000Z), as the API writes dates.</summary>
        internal static string Iso(DateTimeOffset value) =>
            value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        /// <summary>A date in a message for people, in UTC: 2024-05-01 07:00:00Z (or 2024-05-01 07:00Z).</summary>
        internal static string Shown(DateTimeOffset value, bool minutes = false) =>
            value.UtcDateTime.ToString(minutes ? "yyyy-MM-dd HH:mm'Z'" : "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
