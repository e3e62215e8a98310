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
        /// <summary>
        /// The figure, and for the diagnosis the same module without its format and type files (a copy of the module
        /// whose manifest lists neither), timed in the same rounds: the ratio of its median to the minimal module's.
        /// </summary>
        public static (double Ratio, double Module, double Minimal, double[] Ratios, double NoFormatRatio) Measure(string manifest, string minimal, int pairs)
        {
            var root = PerCall.RepoRoot(manifest);
            string Script(string path) => $"Import-Module -Name '{path.Replace("'", "''")}' -ErrorAction Stop; exit 0";
            var copy = Directory.CreateTempSubdirectory("lc-noformat-");
            try
            {
                var bare = CopyWithoutFormats(manifest, copy.FullName);
                var module = Script(manifest);
                var baseline = Script(minimal);
                var noFormat = Script(bare);
                Time(root, module);
                Time(root, baseline);
                Time(root, noFormat); // warm: the tool resolved, files in the OS cache
                var m = new List<double>();
                var b = new List<double>();
                var n = new List<double>();
                var ratios = new List<double>();
                for (int i = 0; i < pairs; i++)
                {
                    double tm, tb;
                    if (i % 2 == 0) { tm = Time(root, module); tb = Time(root, baseline); }
                    else { tb = Time(root, baseline); tm = Time(root, module); }
                    m.Add(tm);
                    b.Add(tb);
                    ratios.Add(tm / tb);
                    n.Add(Time(root, noFormat));
                }
                var all = ratios.ToArray();
                return (Harness.Median(ratios), Harness.Median(m), Harness.Median(b), all, Harness.Median(n) / Harness.Median(b));
            }
            finally
            {
                copy.Delete(recursive: true);
            }
        }

        /// <summary>A copy of the built module whose manifest loads neither format nor type files.</summary>
        private static string CopyWithoutFormats(string manifest, string into)
        {
            var from = Path.GetDirectoryName(manifest)!;
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(into, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var copied = Path.Combine(into, Path.GetFileName(manifest));
            var lines = File.ReadAllLines(copied).Where(l => !l.TrimStart().StartsWith("FormatsToProcess", StringComparison.Ordinal) &&
                                                             !l.TrimStart().StartsWith("TypesToProcess", StringComparison.Ordinal));
            File.WriteAllLines(copied, lines);
            return copied;
        }

        /// <summary>Milliseconds of one fresh pwsh running <paramref name="script"/> (<see cref="ImportTimer.Time"/>).</summary>
        private static double Time(string root, string script) => ImportTimer.Time(root, script);
    }
}
