using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace LeadConnector.Commands
{
    /// <summary>
    /// On Windows PowerShell (.NET Framework) there are no binding redirects for modules, so a dependency that asks for
    /// another version of System.Memory or System.Text.Json would fail to load. This resolves such requests to the copy
    /// shipped beside the module, and only for assemblies that ship there. PowerShell 7 needs none of this.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        public void OnImport()
        {
            if (IsNetFramework()) AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsNetFramework()) AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }

        private static bool IsNetFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        internal static string? ShippedPath(string assemblyName, string directory)
        {
            var simple = new AssemblyName(assemblyName).Name;
            if (string.IsNullOrEmpty(simple) || simple!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            var candidate = Path.Combine(directory, simple + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var path = ShippedPath(args.Name, ModuleDirectory);
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
