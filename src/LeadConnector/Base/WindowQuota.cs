using System.Collections.Generic;
using LeadConnector.Engine;

namespace LeadConnector.Commands
{
    /// <summary>
    /// How many calls a bulk command may have in flight when -ThrottleLimit is not given: for each connection its
    /// records used, the larger of the default (8) and the window quota its location's pacer has learned from the API
    /// (X-RateLimit-Max, at most <see cref="MostPerConnection"/>), summed over the connections. The pacer lets no more
    /// leave than the window allows; the rest wait at it, so a whole window's quota leaves at once (the first window's
    /// 20 of 20 per 2 s, not 8 now and the rest one and two round trips later), and a sweep whose records carry many
    /// connections keeps every location's window full. An explicit -ThrottleLimit is kept as given.
    /// </summary>
    internal sealed class WindowQuota
    {
        /// <summary>The most calls one connection may have in flight when the API's window is larger.</summary>
        public const int MostPerConnection = 100;

        private readonly Dictionary<Connection, int> _seen = new Dictionary<Connection, int>();
        private bool? _explicit;

        /// <summary>The in-flight limit for the next call of <paramref name="cmdlet"/>, on <paramref name="connection"/> (0: -ThrottleLimit).</summary>
        public int Limit(LcBulkCmdlet cmdlet, Connection connection)
        {
            _explicit ??= cmdlet.MyInvocation.BoundParameters.ContainsKey(nameof(LcBulkCmdlet.ThrottleLimit));
            if (_explicit.Value) return 0;
            var own = cmdlet.ThrottleLimit;
            var gate = GateOf(connection);
            if (gate != null && gate.Learned) own = System.Math.Max(own, System.Math.Min(gate.Max, MostPerConnection));
            _seen[connection] = own;
            int sum = 0;
            foreach (var n in _seen.Values) sum += n;
            return sum;
        }

        private static RateGate? GateOf(Connection connection)
        {
            try
            {
                return connection.Client.Gate;
            }
            catch (System.InvalidOperationException)
            {
                return null; // an unpaced client (engine tests)
            }
        }
    }
}
