using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LeadConnector.Bench
{
    /// <summary>
    /// read_ratio with BenchmarkDotNet: a 100-item search body read the way the client reads it (the decodability check,
    /// then the byte reader into Conversation objects) against JsonSerializer.Deserialize into plain DTOs of the same shape.
    /// In process (the emulator made the body), with BenchmarkDotNet's warm-up, pilot and iteration statistics.
    /// </summary>
    public class ReadBenchmark
    {
        internal static byte[] Body = Array.Empty<byte>();
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        [Benchmark(Baseline = true)]
        public object Dtos() => JsonSerializer.Deserialize<SearchDto>(Body, Options)!;

        [Benchmark]
        public object Engine()
        {
            if (!LeadConnector.Engine.JsonText.SurelyDecodable(Body)) throw new InvalidOperationException("undecodable");
            return ConversationOperations.ReadSearchPage(Body);
        }

        /// <summary>Mean microseconds per read: (engine, DTOs).</summary>
        public static (double Engine, double Dtos) Run(byte[] body, bool quick)
        {
            Body = body;
            // Both readers tiered up (tier-1 with PGO) before BenchmarkDotNet's own warm-up: a short run can otherwise
            // time one side still at tier 0.
            var bench = new ReadBenchmark();
            var warm = System.Diagnostics.Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(2)) { bench.Engine(); bench.Dtos(); }
            var job = (quick ? Job.ShortRun.WithWarmupCount(5).WithIterationCount(7) : Job.MediumRun).WithToolchain(InProcessEmitToolchain.Instance);
            var config = ManualConfig.CreateEmpty()
                .AddJob(job)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddLogger(NullLogger.Instance)
                .WithOptions(ConfigOptions.DisableLogFile)
                // Out of the repository: BenchmarkDotNet makes a results folder even with nothing to write.
                .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "leadconnector-bench"));
            var summary = BenchmarkRunner.Run<ReadBenchmark>(config);
            double Mean(string method)
            {
                var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
                return (report.ResultStatistics ?? throw new InvalidOperationException($"BenchmarkDotNet measured nothing for {method}.")).Mean / 1000.0;
            }
            return (Mean(nameof(Engine)), Mean(nameof(Dtos)));
        }
    }
}
