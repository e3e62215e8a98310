using System;
using System.IO;
using System.Reflection;

namespace LeadConnector.Desktop.Tests
{
    /// <summary>
    /// Proves that the runtime binds strong names strictly, as .NET Framework does, so that a request served in the
    /// main run was served by the module's resolver and not by a lenient loader. In an AppDomain of its own (no
    /// resolver) whose application base holds the shipped System.Runtime.CompilerServices.Unsafe 6.0.0.0, a request for
    /// 4.0.4.1 (what System.Memory asks for) must be refused while 6.0.0.0 itself loads. Mono's default ("legacy")
    /// loader binds the file whatever the version; --assembly-loader=strict refuses another major version.
    /// </summary>
    public sealed class BindingProbe : MarshalByRefObject
    {
        private const string Name = "System.Runtime.CompilerServices.Unsafe";

        /// <summary>Where the assembly loaded from in this domain, or null when the loader refused it.</summary>
        public string? Location(string assemblyName)
        {
            try { return Assembly.Load(assemblyName).Location; }
            catch (IOException) { return null; } // FileNotFoundException (Mono), FileLoadException (.NET Framework)
        }

        public static void Check(string desktop)
        {
            var dir = Path.Combine(Path.GetTempPath(), "lc-binding-probe-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var self = typeof(BindingProbe).Assembly;
            File.Copy(self.Location, Path.Combine(dir, Path.GetFileName(self.Location)));
            var file = Path.Combine(dir, Name + ".dll");
            File.Copy(Path.Combine(desktop, Name + ".dll"), file);
            var domain = AppDomain.CreateDomain("binding-probe", null, new AppDomainSetup { ApplicationBase = dir });
            try
            {
                var probe = (BindingProbe)domain.CreateInstanceAndUnwrap(self.FullName, typeof(BindingProbe).FullName!);
                var shipped = AssemblyName.GetAssemblyName(file);
                var older = new AssemblyName(shipped.FullName) { Version = new Version(4, 0, 4, 1) };
                // The mismatched request first, so nothing is loaded in the domain yet that could answer it.
                var bound = probe.Location(older.FullName);
                Harness.Check(bound == null, $"{older.Version} was bound to the shipped {shipped.Version}: the loader is lenient (Mono needs --assembly-loader=strict)");
                Harness.Check(probe.Location(shipped.FullName) != null, $"the shipped {shipped.Version} itself did not load from {dir}, so the probe proves nothing");
            }
            finally
            {
                AppDomain.Unload(domain);
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { } // best effort: Windows may hold a file a moment after the unload
            }
        }
    }
}
