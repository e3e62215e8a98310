using System;
using System.Net;
using System.Net.Sockets;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>Where the tests point a connection: a location no other test uses, a loopback port where nothing listens.</summary>
    internal static class TestLocations
    {
        /// <summary>
        /// A default location of its own, "loc-alpha-<paramref name="tag"/>-" and 12 hex digits. The string only keys the
        /// client-side rate gate (token fingerprint + host:port + location), so a connection with it starts from a fresh
        /// gate: no learned limit, pause or remembered daily quota leaks in from other tests, or out to them. The tag
        /// names the test class, so a location in a log says where it came from.
        /// </summary>
        public static string IsolatedLocation(string tag) => "loc-alpha-" + tag + "-" + Guid.NewGuid().ToString("N").Substring(0, 12);

        /// <summary>A loopback port that was free a moment ago: the listener that found it is stopped, so nothing listens there now.</summary>
        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
            finally { probe.Stop(); }
        }
    }
}
