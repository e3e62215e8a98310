using System.Diagnostics;

namespace LeadConnector.Bench
{
    /// <summary>
    /// import_vs_minimal: a fresh pwsh that imports LeadConnector against a fresh pwsh that imports the smallest binary
    /// module (bench/MinimalModule: one cmdlet, one format file), in pairs whose order alternates; the figure is the
    /// median of the pairs' ratios, so a slow spell of the machine weighs on both halves of a pair.
    /// </summary>
    internal static class ImportCompare
    {
        public static (double Ratio, double Module, double Minimal, double[] Ratios) Measure(string manifest, string minimal, int pairs)
        {
            var root = PerCall.RepoRoot(manifest);
            string Script(string path) => $"Import-Module -Name '{path.Replace("'", "''")}' -ErrorAction Stop; exit 0";
            var module = Script(manifest);
            var baseline = Script(minimal);
            Time(root, module);
            Time(root, baseline); // warm: the tool resolved, files in the OS cache
            var m = new List<double>();
            var b = new List<double>();
            var ratios = new List<double>();
            for (int i = 0; i < pairs; i++)
            {
                double tm, tb;
                if (i % 2 == 0) { tm = Time(root, module); tb = Time(root, baseline); }
                else { tb = Time(root, baseline); tm = Time(root, module); }
                m.Add(tm);
                b.Add(tb);
                ratios.Add(tm / tb);
            }
            var all = ratios.ToArray();
            return (Harness.Median(ratios), Harness.Median(m), Harness.Median(b), all);
        }

        /// <summary>Milliseconds of one fresh pwsh (dotnet pwsh, the repository's pinned tool) running <paramref name="script"/>.</summary>
        private static double Time(string root, string script)
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
}
