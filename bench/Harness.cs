using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LeadConnector.Bench
{
    /// <summary>A Stopwatch harness: warm-up, then alternating rounds of the case and its baseline, medians.</summary>
    internal static class Harness
    {
        /// <summary>
        /// Milliseconds per call: (case, baseline), each the median of its per-call times, measured in blocks of
        /// <paramref name="iterations"/> calls in the order case, baseline, baseline, case (ABBA), so a drift during the
        /// measurement weighs on both alike. (Rounds of case-then-baseline measured a case against itself at 1.6.)
        /// No warm-up here: the callers run <see cref="WarmUpAllAsync"/> first.
        /// </summary>
        private static async Task<(double Case, double Baseline)> CompareAsync(int iterations, int rounds, Func<Task> subject, Func<Task> baseline)
        {
            var s = new List<double>(iterations * rounds * 2);
            var b = new List<double>(iterations * rounds * 2);
            for (int round = 0; round < rounds; round++)
            {
                await BlockAsync(iterations, subject, s);
                await BlockAsync(iterations, baseline, b);
                await BlockAsync(iterations, baseline, b);
                await BlockAsync(iterations, subject, s);
            }
            return (Median(s), Median(b));
        }

        /// <summary>
        /// The ratio case/baseline as the median of <paramref name="repeats"/> separate comparisons (each its own ABBA
        /// series, after a warm-up done by the caller), with the times of the median one: one comparison that caught the
        /// machine in a different mode for one side does not make the figure.
        /// </summary>
        public static async Task<(double Ratio, double Case, double Baseline, double[] All)> RatioAsync(int iterations, int rounds, int repeats,
            Func<Task> subject, Func<Task> baseline)
        {
            var results = new List<(double Ratio, double Case, double Baseline)>();
            for (int i = 0; i < repeats; i++)
            {
                var (c, b) = await CompareAsync(iterations, rounds, subject, baseline);
                results.Add((c / b, c, b));
            }
            var sorted = results.OrderBy(r => r.Ratio).ToList();
            var mid = sorted[sorted.Count / 2];
            return (mid.Ratio, mid.Case, mid.Baseline, results.Select(r => r.Ratio).ToArray());
        }

        /// <summary>
        /// Runs every case in turn for at least <paramref name="seconds"/>: before the first comparison of a run, so that
        /// tiered JIT has finished with the code all of them share (the client, and the emulator when it is in process).
        /// </summary>
        public static async Task WarmUpAllAsync(double seconds, params Func<Task>[] cases)
        {
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(seconds))
                foreach (var f in cases)
                    for (int i = 0; i < 20; i++) await f();
        }

        private static async Task BlockAsync(int n, Func<Task> f, List<double> into)
        {
            for (int i = 0; i < n; i++) into.Add(await TimeOneAsync(f));
        }

        private static async Task<double> TimeOneAsync(Func<Task> f)
        {
            long start = Stopwatch.GetTimestamp();
            await f();
            return (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
        }

        public static double Median(List<double> xs)
        {
            xs.Sort();
            return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
        }
    }

    /// <summary>One PowerShell runspace with the built module imported; runs scripts and fails loudly on errors it did not expect.</summary>
    internal sealed class PsRunner : IDisposable
    {
        private readonly Runspace _runspace;

        public PsRunner(string manifest)
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { manifest });
            _runspace = RunspaceFactory.CreateRunspace(iss);
            _runspace.Open();
            Run("$ProgressPreference = 'SilentlyContinue'");
        }

        public Collection<PSObject> Run(string script, params (string Name, object? Value)[] variables)
        {
            foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            var output = ps.Invoke();
            if (ps.HadErrors && ps.Streams.Error.Count > 0 && !script.Contains("-ErrorVariable", StringComparison.Ordinal))
                throw new InvalidOperationException("The script failed: " + ps.Streams.Error[0]);
            return output;
        }

        public void Connect(Uri baseUri, string token, string location) =>
            Run("Connect-Lc -AccessToken $t -BaseUri $u -LocationId $l -MaxRetries 5 -RetryDelaySec 0.05",
                ("t", token), ("u", baseUri), ("l", location));

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>
    /// Streams one tenant's conversations through Get-LcConversation -All in a child process (so the emulator's own
    /// memory does not count) and reports the child's peak live managed memory, sampled after a full collection every 50 ms.
    /// </summary>
    internal static class StreamChild
    {
        public const string Flag = "--stream-child";

        public sealed record Result(int Count, long PeakBytes, double Seconds);

        public static Result Launch(Uri baseUri, string token, string location, string manifest)
        {
            var self = Environment.ProcessPath!;
            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                psi.FileName = self;
                psi.ArgumentList.Add(typeof(StreamChild).Assembly.Location);
            }
            else psi.FileName = self;
            foreach (var a in new[] { Flag, baseUri.ToString(), token, location, manifest }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"The streaming child failed ({p.ExitCode}): {stderr}{stdout}");
            var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            return new Result(int.Parse(values["count"], CultureInfo.InvariantCulture), long.Parse(values["peak_bytes"], CultureInfo.InvariantCulture),
                double.Parse(values["seconds"], CultureInfo.InvariantCulture));
        }

        public static int Run(string[] args)
        {
            var (baseUri, token, location, manifest) = (new Uri(args[1]), args[2], args[3], args[4]);
            using var ps = new PsRunner(manifest);
            ps.Connect(baseUri, token, location);
            ps.Run("$null = Get-LcConversation -First 1"); // warm: the first page and the code paths are loaded before sampling
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long peak = GC.GetTotalMemory(false);
            using var done = new ManualResetEventSlim();
            var sampler = new Thread(() =>
            {
                // Live memory: what is still reachable after a full collection, so garbage waiting for the next GC does
                // not count, only what the pipeline holds on to.
                while (!done.Wait(50)) peak = Math.Max(peak, GC.GetTotalMemory(true));
            }) { IsBackground = true };
            sampler.Start();
            var sw = Stopwatch.StartNew();
            var count = ps.Run("Get-LcConversation -All -PageSize 100 | Measure-Object | ForEach-Object Count").Single().BaseObject;
            sw.Stop();
            done.Set();
            sampler.Join();
            Console.WriteLine($"count={count}");
            Console.WriteLine($"peak_bytes={peak}");
            Console.WriteLine($"seconds={sw.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}");
            return 0;
        }
    }

    /// <summary>Times fresh pwsh processes, bare and with Import-Module of the built module: medians in milliseconds.</summary>
    internal static class ImportTimer
    {
        /// <summary>
        /// Medians in milliseconds of a bare start, a start with the import, and the paired difference (import minus the
        /// bare start run next to it, the pair's order alternating): a slow spell of the machine then weighs on both
        /// halves of a pair instead of on one side's median.
        /// </summary>
        public static (double Bare, double Import, double Difference) Measure(string manifest, int runs)
        {
            var root = RepoRoot(manifest);
            var bareScript = "exit 0";
            var importScript = $"Import-Module -Name '{manifest.Replace("'", "''")}' -ErrorAction Stop; exit 0";
            Time(root, bareScript);
            Time(root, importScript); // warm: the tool resolved, files in the OS cache
            var bare = new List<double>();
            var import = new List<double>();
            var difference = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                double b, m;
                if (i % 2 == 0) { b = Time(root, bareScript); m = Time(root, importScript); }
                else { m = Time(root, importScript); b = Time(root, bareScript); }
                bare.Add(b);
                import.Add(m);
                difference.Add(m - b);
            }
            return (Harness.Median(bare), Harness.Median(import), Harness.Median(difference));
        }

        private static string RepoRoot(string manifest)
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(manifest)!); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "dotnet-tools.json"))) return dir.FullName;
            throw new InvalidOperationException("No dotnet-tools.json above the module: cannot find the repository's pwsh tool.");
        }

        /// <summary>Milliseconds of one fresh pwsh as the repository pins it (dotnet tool: dotnet pwsh), from the repository root.</summary>
        internal static double Time(string root, string script)
        {
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", script }) psi.ArgumentList.Add(a);
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            sw.Stop();
            if (p.ExitCode != 0) throw new InvalidOperationException($"pwsh failed ({p.ExitCode}): {stderr}{stdout.Result}");
            return sw.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>The search answer as plain DTOs of the same shape: the baseline of read_ratio.</summary>
    internal sealed class SearchDto
    {
        public List<ConversationDto> Conversations { get; set; } = new List<ConversationDto>();
        public int Total { get; set; }
    }

    internal sealed class ConversationDto
    {
        public string? Id { get; set; }
        public string? ContactId { get; set; }
        public string? LocationId { get; set; }
        public string? LastMessageBody { get; set; }
        public string? LastMessageType { get; set; }
        public string? LastMessageDirection { get; set; }
        public string? Type { get; set; }
        public int? UnreadCount { get; set; }
        public string? FullName { get; set; }
        public string? ContactName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? AssignedTo { get; set; }
        public bool? Starred { get; set; }
        public bool? Inbox { get; set; }
        public long? DateAdded { get; set; }
        public long? DateUpdated { get; set; }
        public long? LastMessageDate { get; set; }
        public long[]? Sort { get; set; }
    }
}
