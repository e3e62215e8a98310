using System.Diagnostics;
using System.Globalization;
using LeadConnector.Emulator;

namespace LeadConnector.Bench
{
    /// <summary>
    /// The per-call figures, measured where users feel them: a fresh pwsh (the repository's pinned tool) running the
    /// loop a script would, against the emulator in a process of its own.
    /// <list type="bullet">
    /// <item><c>cmdlet_vs_irm</c>: <c>foreach ($i in $ids) { Get-LcConversation -Id $i }</c> over 300 ids against the same
    /// loop with Invoke-RestMethod;</item>
    /// <item><c>cmdlet_floor_vs_irm</c>: what no module could go under, against the same Invoke-RestMethod loop: per id a
    /// binary cmdlet that sends nothing (PowerShell's cost of a cmdlet call) and a bare synchronous HttpClient GET;</item>
    /// <item><c>js_sdk_ratio</c>: the module's loop per call against HighLevel's official JS SDK
    /// (@gohighlevel/api-client, bench/js) per call, awaiting each, same server.</item>
    /// </list>
    /// The processes stay up and run one loop per line they are sent, in ABBA order across the cases (cmdlet, irm, sdk,
    /// sdk, irm, cmdlet), so every case sees the same states of the machine; each figure is the ratio of the medians.
    /// </summary>
    internal static class PerCall
    {
        public static void Run(string manifest, bool quick)
        {
            int n = 300, rounds = quick ? 12 : 30;
            var root = RepoRoot(manifest);
            var ids = Enumerable.Range(1, Seed.AlphaConversationCount).Select(Seed.AlphaConversationId).ToArray();
            using var emulator = EmulatorChild.Start();
            var baseUri = emulator.BaseUri.ToString();
            using var pwsh = Looper.Start("dotnet", root, new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "bench", "percall.ps1"),
                "-Manifest", manifest, "-BaseUri", baseUri, "-Token", Seed.AlphaToken, "-LocationId", Seed.AlphaLocation, "-ConversationId", string.Join(",", ids) });
            var js = JsSdk(root, baseUri, ids, out var jsMissing);
            try
            {
                var cases = new List<(string Name, Looper Process, string Line)> { ("cmdlet", pwsh, $"cmdlet {n}"), ("irm", pwsh, $"irm {n}"), ("floor", pwsh, $"floor {n}") };
                if (js != null) cases.Add(("sdk", js, $"sdk {n}"));
                var times = cases.ToDictionary(c => c.Name, _ => new List<double>());
                // Warm-up: tiered JIT of every path, the connections open.
                for (int w = 0; w < 3; w++)
                    foreach (var c in cases) c.Process.Time(c.Line);
                for (int r = 0; r < rounds; r++)
                {
                    var order = r % 2 == 0 ? cases : Enumerable.Reverse(cases).ToList();
                    foreach (var c in order) times[c.Name].Add(c.Process.Time(c.Line));
                }
                double cmdlet = Harness.Median(times["cmdlet"]), irm = Harness.Median(times["irm"]);
                string All(string name) => string.Join(" ", times[name].Select(t => t.ToString("0", CultureInfo.InvariantCulture)));
                Console.WriteLine($"# {n} calls a loop, {rounds} loops a case, fresh pwsh, emulator in its own process: Get-LcConversation -Id {cmdlet:0} us, " +
                                  $"Invoke-RestMethod {irm:0} us per call (medians; cmdlet {All("cmdlet")}; irm {All("irm")})");
                Console.WriteLine($"cmdlet_vs_irm={cmdlet / irm:0.00}");
                // The floor under cmdlet_vs_irm: PowerShell's cost of one cmdlet call plus the bare wire, in the same loop.
                double floor = Harness.Median(times["floor"]);
                Console.WriteLine($"# the floor (a no-op binary cmdlet and a bare synchronous HttpClient GET per id, same loop) {floor:0} us per call (median; {All("floor")}); " +
                                  $"the module {cmdlet / floor:0.00} of it");
                Console.WriteLine($"cmdlet_floor_vs_irm={floor / irm:0.00}");
                if (js == null) Console.WriteLine($"js_sdk_ratio=n/a ({jsMissing})");
                else
                {
                    double sdk = Harness.Median(times["sdk"]);
                    Console.WriteLine($"# the JS SDK (@gohighlevel/api-client, node {js.Version}) {sdk:0} us per call (median; {All("sdk")})");
                    Console.WriteLine($"js_sdk_ratio={cmdlet / sdk:0.00}");
                }
            }
            finally
            {
                js?.Dispose();
            }
        }

        /// <summary>The JS SDK's looper, or null with the reason (no node; the SDK could not be installed).</summary>
        private static Looper? JsSdk(string root, string baseUri, string[] ids, out string missing)
        {
            missing = "";
            var dir = Path.Combine(root, "bench", "js");
            var node = Which("node");
            if (node == null) { missing = "node not found"; return null; }
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "@gohighlevel", "api-client")))
            {
                // The pinned SDK, from package-lock.json.
                var npm = Which("npm");
                if (npm == null) { missing = "npm not found"; return null; }
                using var ci = Process.Start(new ProcessStartInfo(npm, "ci --no-audit --no-fund") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
                ci.StandardOutput.ReadToEnd();
                var err = ci.StandardError.ReadToEnd();
                ci.WaitForExit();
                if (ci.ExitCode != 0) { missing = "npm ci failed in bench/js: " + err.Trim().Split('\n').LastOrDefault(); return null; }
            }
            var args = new List<string> { Path.Combine(dir, "get-conversation.js"), baseUri, Seed.AlphaToken, "50", "serve" };
            args.AddRange(ids);
            var looper = Looper.Start(node, dir, args);
            looper.Version = Output(node, "--version") ?? "?";
            return looper;
        }

        /// <summary>The repository root (where dotnet-tools.json pins pwsh), above the built module.</summary>
        internal static string RepoRoot(string manifest)
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(manifest)!); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "dotnet-tools.json"))) return dir.FullName;
            throw new InvalidOperationException("No dotnet-tools.json above the module: cannot find the repository's pwsh tool.");
        }

        private static string? Which(string name)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path)) return path;
            }
            return null;
        }

        private static string? Output(string file, string args)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
                var s = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return s;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }

        /// <summary>A child process that runs one timed loop per line it reads and answers "us_per_call=x".</summary>
        private sealed class Looper : IDisposable
        {
            private readonly Process _process;
            private readonly System.Text.StringBuilder _errors = new System.Text.StringBuilder();
            public string? Version { get; set; }

            private Looper(Process process)
            {
                _process = process;
                _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_errors) _errors.AppendLine(e.Data); };
                _process.BeginErrorReadLine();
            }

            public static Looper Start(string file, string workingDirectory, IEnumerable<string> args)
            {
                var psi = new ProcessStartInfo(file)
                {
                    WorkingDirectory = workingDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                foreach (var a in args) psi.ArgumentList.Add(a);
                var looper = new Looper(Process.Start(psi)!);
                looper.Expect("ready");
                return looper;
            }

            /// <summary>Microseconds per call of one loop.</summary>
            public double Time(string line)
            {
                _process.StandardInput.WriteLine(line);
                _process.StandardInput.Flush();
                var answer = Expect("us_per_call=");
                return double.Parse(answer["us_per_call=".Length..], CultureInfo.InvariantCulture);
            }

            private string Expect(string prefix)
            {
                while (true)
                {
                    var line = _process.StandardOutput.ReadLine();
                    if (line == null)
                    {
                        _process.WaitForExit(5000);
                        string errors;
                        lock (_errors) errors = _errors.ToString();
                        throw new InvalidOperationException($"{Path.GetFileName(_process.StartInfo.FileName)} ended before answering: {errors}");
                    }
                    if (line.StartsWith(prefix, StringComparison.Ordinal)) return line.Trim();
                }
            }

            public void Dispose()
            {
                try { _process.StandardInput.Close(); } catch (IOException) { }
                if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
                _process.Dispose();
            }
        }
    }
}
