using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Emulator;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>
    /// Waiting for a state, never for a fixed time: a busy machine (CI, other builds) makes every fixed wait too short
    /// some day. Each wait has a generous limit that only a broken behaviour reaches, and then fails naming what it
    /// waited for.
    /// </summary>
    public static class Waiting
    {
        /// <summary>How long a test waits for a state before it fails: far more than any loaded machine needs.</summary>
        public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

        /// <summary>Polls <paramref name="condition"/> every 10 ms until it is true; fails after <paramref name="limit"/>.</summary>
        public static void Until(Func<bool> condition, string waitingFor, TimeSpan? limit = null)
        {
            var max = limit ?? Limit;
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > max)
                    throw new Xunit.Sdk.XunitException($"Waited {max.TotalSeconds:0} s for {waitingFor}; it did not happen.");
                Thread.Sleep(10);
            }
        }

        /// <summary>Waits until the emulator has recorded at least <paramref name="count"/> API requests; returns the log.</summary>
        public static RecordedRequest[] WaitForRequests(this EmulatorFixture emu, int count, TimeSpan? limit = null)
        {
            Until(() => emu.State.Requests.Count >= count, $"{count} request(s) to reach the emulator (it has {emu.State.Requests.Count})", limit);
            return emu.Requests();
        }

        /// <summary>
        /// Sends GET <paramref name="path"/> with the alpha token straight to the emulator (no module code) and returns once
        /// it is answered. Under a Delay fault that also holds it, the probe is answered only after the delay of every request
        /// that arrived before it has run out: a request whose client stayed would have been processed by then. So this is
        /// how long to wait before asserting that nothing was left running, whatever the machine's speed.
        /// </summary>
        public static RecordedRequest ProbeGet(this EmulatorFixture emu, string path)
        {
            using var http = new HttpClient { BaseAddress = emu.BaseUri, Timeout = Limit };
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
            request.Headers.TryAddWithoutValidation("Version", "2021-07-28");
            long before = emu.Requests().Select(r => r.Sequence).DefaultIfEmpty(0).Max();
            using var response = http.Send(request);
            return emu.Requests().Single(r => r.Sequence > before && r.Path == path);
        }

        /// <summary>Awaits <paramref name="task"/> for at most <paramref name="limit"/>; fails naming what it waited for.</summary>
        public static async Task<T> Within<T>(this Task<T> task, string waitingFor, TimeSpan? limit = null)
        {
            var max = limit ?? Limit;
            if (await Task.WhenAny(task, Task.Delay(max)).ConfigureAwait(false) != task)
                throw new Xunit.Sdk.XunitException($"Waited {max.TotalSeconds:0} s for {waitingFor}; it did not happen.");
            return await task.ConfigureAwait(false);
        }
    }
}
