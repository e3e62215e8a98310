using System;
using System.Collections.Generic;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The locations connected to in this process (Connect-Lc calls), newest first, for -LocationId completion.
    /// Holds location ids only: never a connection, so never a token.
    /// </summary>
    public static class SessionConnections
    {
        private const int Capacity = 50;
        private static readonly object Gate = new object();
        private static readonly List<string> Locations = new List<string>();

        /// <summary>Remembers the connection's location (a connection without one adds nothing).</summary>
        public static void Remember(Connection? connection)
        {
            var location = connection?.LocationId;
            if (string.IsNullOrWhiteSpace(location)) return;
            lock (Gate)
            {
                Locations.RemoveAll(l => string.Equals(l, location, StringComparison.Ordinal));
                Locations.Insert(0, location!);
                if (Locations.Count > Capacity) Locations.RemoveRange(Capacity, Locations.Count - Capacity);
            }
        }

        /// <summary>The current connection's location first, then the others connected to in this process, newest first.</summary>
        public static IReadOnlyList<string> LocationIds()
        {
            var result = new List<string>();
            var current = ConnectionStore.Current?.LocationId;
            if (!string.IsNullOrWhiteSpace(current)) result.Add(current!);
            lock (Gate)
            {
                foreach (var l in Locations)
                    if (!result.Contains(l)) result.Add(l);
            }
            return result;
        }
    }
}
