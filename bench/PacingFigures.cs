using System.Diagnostics;
using LeadConnector.Emulator;

namespace LeadConnector.Bench
{
    /// <summary>
    /// The pacing figures (issue 19), in the bench's PowerShell runspace against the emulator with a network latency:
    /// <list type="bullet">
    /// <item><c>bulk_of_ideal</c>: <c>$ids | Get-LcConversation</c> over 300 ids at 20 requests per 2 s and 150 ms
    /// latency, against a fixed window (from the first request after the last window ended) and a sliding one. The ideal
    /// is the first window's 20 at once, then 20 per window: 14 further windows plus one latency (28.15 s). Prints the
    /// ideal over the time taken, the 429s that reached the user and those the server sent.</item>
    /// <item><c>sweep_utilization</c>: the agency sweep of docs/performance.md, 50 locations of 100 reads each at 20 per
    /// 2 s each (the emulator counts per location and token) and 150 ms latency, from one runspace; the ideal is 4
    /// further windows plus one latency (8.15 s), every location in parallel. Also one location alone, and the managed
    /// memory the sweep grew by (sampled every 50 ms, against a full collection before it).</item>
    /// </list>
    /// Every run uses locations of its own, so the pacers start as a fresh session's would.
    /// </summary>
    internal static class PacingFigures
    {
        public const int Max = 20, IntervalMs = 2000, LatencyMs = 150;

        private static void Limit(EmulatorServer emu, RateLimitWindow window)
        {
            emu.State.Faults.Clear();
            emu.State.RateLimit.Max = Max;
            emu.State.RateLimit.IntervalMs = IntervalMs;
            emu.State.RateLimit.Window = window;
            emu.State.RateLimit.LatencyMs = LatencyMs;
            emu.State.RateLimit.DailyLimit = int.MaxValue;
        }

        private static void Restore(EmulatorServer emu)
        {
            emu.State.RateLimit.LatencyMs = 0;
            emu.State.RateLimit.Window = RateLimitWindow.Fixed;
        }

        private static bool _warm;

        /// <summary>
        /// Runs both scripts once, small, at a high limit, so neither figure pays for the first use of the
        /// cmdlets, Add-Member or the agency exchange in this runspace (the other figures may not have run before).
        /// </summary>
        private static void WarmUp(EmulatorServer emu, PsRunner ps)
        {
            if (_warm) return;
            _warm = true;
            emu.State.Faults.Clear();
            emu.State.RateLimit.Max = 100_000;
            emu.State.RateLimit.LatencyMs = LatencyMs; // the host's fastest answer, which every gate of the host shares, is the figures' too
            var ids = Enumerable.Range(0, 2).Select(_ => NewLocation("warm")).ToArray();
            foreach (var id in ids) emu.State.AddLocation(id, conversations: 3, agency: true);
            ps.Run("$connections = Connect-Lc -AgencyToken $agency -CompanyId $company -LocationId $locationIds -BaseUri $u -ReturnConnection -SkipValidation -Quiet; " +
                   "$null = $connections[0] | Set-Variable c; $null = ('{0}-conv-001' -f $c.LocationId), ('{0}-conv-002' -f $c.LocationId) | Get-LcConversation -Connection $c",
                ("agency", Seed.AgencyToken), ("company", Seed.CompanyId), ("locationIds", ids), ("u", emu.BaseUri));
            ps.Run(SweepScript, ("reads", 3));
        }

        private static string NewLocation(string what) => $"loc-pace-{what}-{Guid.NewGuid():N}"[..36];

        /// <summary>bulk_of_ideal against one kind of window.</summary>
        public static void BulkOfIdeal(EmulatorServer emu, PsRunner ps, RateLimitWindow window)
        {
            const int count = 300;
            WarmUp(emu, ps);
            var location = NewLocation("bulk");
            var token = emu.State.AddLocation(location, conversations: 100);
            Limit(emu, window);
            try
            {
                ps.Run("Connect-Lc -AccessToken $t -BaseUri $u -LocationId $l -SkipValidation -Quiet", ("t", token), ("u", emu.BaseUri), ("l", location));
                var ids = Enumerable.Range(0, count).Select(i => $"{location}-conv-{i % 100 + 1:000}").ToArray();
                emu.State.Requests.Clear();
                var clock = Stopwatch.StartNew();
                var r = ps.Run("$e = $null; $n = ($ids | Get-LcConversation -ErrorVariable e -ErrorAction SilentlyContinue | Measure-Object).Count; " +
                               "[pscustomobject]@{ Out = $n; Errors = @($e).Count; Surfaced429 = @($e | Where-Object { $_.Exception.StatusCode -eq 429 }).Count }",
                    ("ids", ids)).Single();
                clock.Stop();
                var log = emu.State.Requests.Snapshot();
                int refused = log.Count(x => x.StatusCode == 429);
                double ideal = (count / Max - 1) * IntervalMs / 1000.0 + LatencyMs / 1000.0;
                string name = window == RateLimitWindow.Fixed ? "fixed" : "sliding";
                Console.WriteLine($"# {count} piped ids at {Max} per {IntervalMs / 1000.0:0.#} s ({name} window), {LatencyMs} ms latency: {clock.Elapsed.TotalSeconds:0.00} s " +
                                  $"(ideal {ideal:0.00} s), {r.Properties["Out"].Value} out, {r.Properties["Errors"].Value} errors, server 429s {refused}");
                Console.WriteLine("# " + Windows(log.Where(x => x.StatusCode == 200).Select(x => x.ReceivedAt).OrderBy(t => t).ToArray()));
                Console.WriteLine($"bulk_of_ideal_{name}={ideal / clock.Elapsed.TotalSeconds:0.000} surfaced_429={r.Properties["Surfaced429"].Value} server_429={refused}");
            }
            finally
            {
                Restore(emu);
            }
        }

        /// <summary>Bytes as signed MiB with one decimal ("+0.0", "-0.8"; never "-0.0").</summary>
        private static string Signed(long bytes)
        {
            var mib = Math.Round(bytes / 1048576.0, 1) + 0.0;
            return (mib >= 0 ? "+" : "") + mib.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Where the time went: each window's 20 arrivals, as the first's offset from the previous window's first, and its spread.</summary>
        private static string Windows(DateTimeOffset[] at)
        {
            var parts = new List<string>();
            for (int w = 0; w * Max < at.Length; w++)
            {
                var first = at[w * Max];
                var last = at[Math.Min(at.Length, (w + 1) * Max) - 1];
                var gap = w == 0 ? 0 : (first - at[(w - 1) * Max]).TotalMilliseconds;
                parts.Add($"{gap:0}+{(last - first).TotalMilliseconds:0}");
            }
            return "windows (gap from the last window's first + spread, ms): " + string.Join(" ", parts);
        }

        /// <summary>Where a sweep's time went: for each window, when its first and last requests arrived (over every location), from the sweep's first.</summary>
        private static string SweepWindows(List<RecordedRequest> ok, int reads)
        {
            if (ok.Count == 0) return "no requests";
            var t0 = ok.Min(x => x.ReceivedAt);
            var parts = new List<string>();
            foreach (var w in Enumerable.Range(0, reads / Max))
            {
                var inWindow = ok.GroupBy(x => x.Path.Split('/')[2][..^9]) // the location part of "<location>-conv-001"
                    .SelectMany(g => g.OrderBy(x => x.ReceivedAt).Skip(w * Max).Take(Max)).Select(x => (x.ReceivedAt - t0).TotalMilliseconds).ToList();
                if (inWindow.Count > 0) parts.Add($"{inWindow.Min():0}..{inWindow.Max():0}");
            }
            return "windows (first..last arrival, ms from the first): " + string.Join(" ", parts);
        }

        /// <summary>The sweep of docs/performance.md: every location's n-th read, then every location's (n+1)-th, one pipeline.</summary>
        public const string SweepScript = @"
$e = $null
$n = & {
    for ($i = 1; $i -le $reads; $i++) {
        foreach ($c in $connections) { '{0}-conv-{1:000}' -f $c.LocationId, $i | Add-Member Connection $c -PassThru }
    }
} | Get-LcConversation -ErrorVariable e -ErrorAction SilentlyContinue | Measure-Object
[pscustomobject]@{ Out = $n.Count; Errors = @($e).Count; Surfaced429 = @($e | Where-Object { $_.Exception.StatusCode -eq 429 }).Count; First = ""$($e | Select-Object -First 1)"" }";

        /// <summary>sweep_utilization over <paramref name="locations"/> locations (and the figure's name suffix).</summary>
        public static void Sweep(EmulatorServer emu, PsRunner ps, int locations, string suffix)
        {
            const int reads = 100;
            WarmUp(emu, ps);
            var ids = Enumerable.Range(0, locations).Select(_ => NewLocation("sweep")).ToArray();
            foreach (var id in ids) emu.State.AddLocation(id, conversations: reads, agency: true);
            // The location tokens are exchanged (concurrently, at a high limit: the agency token's own quota is not the
            // figure's) before the clock starts; the connecting is timed apart.
            Limit(emu, RateLimitWindow.Fixed);
            emu.State.RateLimit.Max = 100_000;
            try
            {
                var connect = Stopwatch.StartNew();
                ps.Run("$connections = Connect-Lc -AgencyToken $agency -CompanyId $company -LocationId $locationIds -BaseUri $u -ReturnConnection -SkipValidation -Quiet",
                    ("agency", Seed.AgencyToken), ("company", Seed.CompanyId), ("locationIds", ids), ("u", emu.BaseUri));
                connect.Stop();
                emu.State.RateLimit.Max = Max;
                emu.State.ResetRateLimitCounters();
                emu.State.Requests.Clear();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long before = GC.GetTotalMemory(true), peak = before;
                using var stop = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(false));
                        try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
                    }
                });
                var clock = Stopwatch.StartNew();
                var r = ps.Run(SweepScript, ("reads", reads)).Single();
                clock.Stop();
                stop.Cancel();
                sampler.Wait();
                IReadOnlyList<RecordedRequest>? log = emu.State.Requests.Snapshot();
                int refused = log.Count(x => x.StatusCode == 429);
                int tokenRequests = log.Count(x => x.Path.StartsWith("/oauth/", StringComparison.Ordinal));
                var perLocation = log.Where(x => x.StatusCode == 200 && x.Path.StartsWith("/conversations/", StringComparison.Ordinal)).Count();
                var windows = SweepWindows(log.Where(x => x.StatusCode == 200 && x.Path.StartsWith("/conversations/", StringComparison.Ordinal)).ToList(), reads);
                // What the sweep left behind, once the emulator's request log (one record per request, which the figure
                // reads) is dropped; a client that kept anything per read would show here.
                log = null;
                emu.State.Requests.Clear();
                long retained = GC.GetTotalMemory(true);
                // Flat: the same sweep once more over the same connections leaves nothing more behind (what stays after the
                // first is the connection pools' idle connections and buffers, on both sides, which the number of reads
                // does not change).
                ps.Run(SweepScript, ("reads", reads));
                emu.State.Requests.Clear();
                long retainedAgain = GC.GetTotalMemory(true);
                double ideal = (reads / Max - 1) * IntervalMs / 1000.0 + LatencyMs / 1000.0;
                Console.WriteLine($"# sweep of {locations} location(s) x {reads} reads at {Max} per {IntervalMs / 1000.0:0.#} s each, {LatencyMs} ms latency, one runspace: " +
                                  $"{clock.Elapsed.TotalSeconds:0.00} s (ideal {ideal:0.00} s), {r.Properties["Out"].Value} out of {locations * reads}, {perLocation} answered 200, " +
                                  $"{r.Properties["Errors"].Value} errors, server 429s {refused}, token requests during the sweep {tokenRequests}; " +
                                  $"connecting {locations} took {connect.Elapsed.TotalSeconds:0.00} s; managed memory grew by {(peak - before) / 1048576.0:0.0} MiB at most " +
                                  $"(the emulator too, in this process); after it {Signed(retained - before)} MiB against before (the idle pooled connections and their " +
                                  $"buffers, on both sides); a second sweep of {locations * reads} reads over the same connections " +
                                  $"{Signed(retainedAgain - retained)} MiB more");
                Console.WriteLine("# " + windows);
                if ((int)r.Properties["Errors"].Value > 0) Console.WriteLine($"# first error: {r.Properties["First"].Value}");
                Console.WriteLine($"sweep_utilization{suffix}={ideal / clock.Elapsed.TotalSeconds:0.000} surfaced_429={r.Properties["Surfaced429"].Value} server_429={refused}");
            }
            finally
            {
                Restore(emu);
                emu.State.RateLimit.Max = Max;
            }
        }
    }
}
