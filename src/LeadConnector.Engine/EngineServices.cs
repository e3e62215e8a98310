using System;
using System.Net.Http;

namespace LeadConnector.Engine
{
    /// <summary>
    /// What a connection is built with besides its options: the clock, the network and the pacing gates. Every real
    /// connection uses <see cref="Default"/> (the system clock, the shared HttpClient, the process's gates); engine tests
    /// hand in a fake clock, a fake network or pacing off through the constructor.
    /// </summary>
    internal sealed class EngineServices
    {
        public static readonly EngineServices Default = new EngineServices();

        /// <param name="time">The clock; null: the system's.</param>
        /// <param name="handler">The network under the transport; null: the shared HttpClient.</param>
        /// <param name="pacing">False: no client-side pacing (nor daily-quota gate).</param>
        /// <param name="gates">The gates to pace with; null: the process's (or, with another clock, a set of that clock's own).</param>
        public EngineServices(TimeProvider? time = null, HttpMessageHandler? handler = null, bool pacing = true, RateGates? gates = null)
        {
            Time = time ?? TimeProvider.System;
            Handler = handler;
            Gates = !pacing ? null : gates ?? (ReferenceEquals(Time, TimeProvider.System) ? RateGates.Shared : new RateGates(Time));
        }

        public TimeProvider Time { get; }
        public HttpMessageHandler? Handler { get; }
        /// <summary>Null: pacing is off.</summary>
        public RateGates? Gates { get; }
    }
}
