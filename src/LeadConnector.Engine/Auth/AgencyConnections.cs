using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// One connection per location from one agency token, for agency-wide sweeps: the location tokens are exchanged
    /// concurrently (each through <see cref="AgencyExchangeProvider"/>, renewed on its own later), every connection sends
    /// over the process's one HttpClient and paces to its own location's limit.
    /// </summary>
    internal static class AgencyConnections
    {
        /// <summary>
        /// Connects to every location of <paramref name="locationIds"/> (in that order; a location named twice is
        /// connected once) with the agency token and settings of <paramref name="options"/>. Every location id is checked
        /// before any token is exchanged; when an exchange fails, the first failure (in the given order) is thrown.
        /// </summary>
        public static async Task<IReadOnlyList<Connection>> ConnectAsync(ConnectionOptions options, IReadOnlyList<string> locationIds, LcCall call,
            EngineServices? services = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrEmpty(options.AgencyToken)) throw LcException.InvalidInput("Several locations at once need an agency token (-AgencyToken).");
            var ids = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var raw in locationIds ?? throw new ArgumentNullException(nameof(locationIds)))
            {
                if (string.IsNullOrWhiteSpace(raw)) throw LcException.InvalidInput("A location id is empty.");
                var id = InputGuard.Id(raw.Trim(), "location id");
                if (seen.Add(id)) ids.Add(id);
            }
            if (ids.Count == 0) throw LcException.InvalidInput("No location id was given (-LocationId).");
            // Concurrently: a call its caller blocks on would send each exchange synchronously on that thread, one at a time.
            var each = call.Concurrent;
            var tasks = ids.Select(id => Connection.ConnectAsync(options.WithLocation(id), each, services ?? EngineServices.Default)).ToArray();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                // The first failure in the order given, not the first to finish.
                foreach (var t in tasks) if (t.IsFaulted) throw t.Exception!.InnerException!;
                throw;
            }
            return tasks.Select(t => t.Result).ToArray();
        }
    }
}
