using System;

namespace LeadConnector.Commands
{
    /// <summary>The one rule for the dates users give: a date without a kind is their local time, as everywhere in PowerShell.</summary>
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
    }
}
