using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Cmdlets
{
    /// <summary>
    /// The module's dependencies cannot clash with another module's: the cmdlet assembly references only the engine,
    /// and on PowerShell 7 the engine and its closure load into the module's own AssemblyLoadContext.
    /// </summary>
    public class IsolationTests
    {
        private static readonly string[] Isolated =
        {
            "RestSharp", "System.Text.Json", "System.Text.Encodings.Web", "System.Threading.RateLimiting",
            "Microsoft.Bcl.AsyncInterfaces", "System.Memory", "System.Buffers", "System.Runtime.CompilerServices.Unsafe",
            "Microsoft.Bcl.TimeProvider",
        };

        private static string ModuleBin => Path.Combine(Path.GetDirectoryName(PsSession.ModuleManifest)!, "bin");

        private static string[] References(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();
            return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).OrderBy(n => n).ToArray();
        }

        [Fact]
        public void The_cmdlet_assembly_references_the_engine_and_PowerShell_but_no_isolated_dependency()
        {
            var refs = References(Path.Combine(ModuleBin, "LeadConnector.dll"));
            Assert.Contains("LeadConnector.Engine", refs);
            Assert.Contains("System.Management.Automation", refs);
            foreach (var name in Isolated) Assert.DoesNotContain(name, refs);
        }

        [Fact]
        public void Only_the_cmdlets_and_the_load_context_sit_beside_each_other_in_bin()
        {
            var beside = Directory.GetFiles(ModuleBin, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "LeadConnector.Isolation.dll", "LeadConnector.dll" }.OrderBy(n => n, StringComparer.Ordinal), beside);
            foreach (var dir in new[] { "Dependencies", "Desktop" })
            {
                var shipped = Directory.GetFiles(Path.Combine(ModuleBin, dir), "*.dll").Select(Path.GetFileNameWithoutExtension).ToArray();
                Assert.Contains("LeadConnector.Engine", shipped);
                Assert.Contains("RestSharp", shipped);
                Assert.Contains("System.Text.Json", shipped);
                Assert.Contains("System.Threading.RateLimiting", shipped);
                Assert.DoesNotContain("System.Management.Automation", shipped);
            }
            // PowerShell 7's folder holds net8.0 builds only: no netstandard polyfills that would shadow the runtime's types.
            var core = Directory.GetFiles(Path.Combine(ModuleBin, "Dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension).ToArray();
            Assert.DoesNotContain("System.Memory", core);
            Assert.DoesNotContain("Microsoft.Bcl.AsyncInterfaces", core);
            // TimeProvider is in the box on .NET 8; Windows PowerShell gets the back-port.
            Assert.DoesNotContain("Microsoft.Bcl.TimeProvider", core);
            Assert.Contains("Microsoft.Bcl.TimeProvider", Directory.GetFiles(Path.Combine(ModuleBin, "Desktop"), "*.dll").Select(Path.GetFileNameWithoutExtension));
        }

        // Where the engine loads at run time is proven in a real pwsh by tests/Isolation.Tests.ps1. This test host cannot
        // show it: its own deps.json lists LeadConnector.Engine (the engine tests reference it), so the default context
        // binds the engine from the host's trusted assemblies before the module's resolver is ever asked.
    }
}
