using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Loads the engine and its dependencies so that they can never clash with another module's copies
    /// (Microsoft's "Resolving PowerShell module assembly dependency conflicts").
    /// <list type="bullet">
    /// <item>PowerShell 7: the engine's net8.0 build and its closure (RestSharp, System.Text.Json, ...) load from
    /// bin/Dependencies into a private AssemblyLoadContext. The context lives in LeadConnector.Isolation.dll (net8.0),
    /// because this assembly targets netstandard2.0, where AssemblyLoadContext cannot be subclassed: one reflection call
    /// at import attaches it. The default context is answered for LeadConnector.Engine only.</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework, no load contexts): <see cref="DesktopResolver"/>, an AssemblyResolve
    /// handler that answers only for the assemblies that ship in bin/Desktop, and only when this module's own assemblies
    /// ask (or the runtime does not say who asks).</item>
    /// </list>
    /// Nothing is loaded at import beyond this: the engine loads when the first command needs it.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        internal static string CoreDependencyDirectory => Path.Combine(ModuleDirectory, "Dependencies");
        internal static string DesktopDependencyDirectory => Path.Combine(ModuleDirectory, "Desktop");

        private static readonly DesktopResolver Desktop = new DesktopResolver(DesktopDependencyDirectory);

        public void OnImport()
        {
            if (IsNetFramework()) Desktop.Register();
            else AttachLoadContext();
        }

        public void OnRemove(PSModuleInfo module)
        {
            // The load context stays: types from it may still be held by the session, and a re-import reuses it.
            if (IsNetFramework()) Desktop.Unregister();
        }

        private static bool IsNetFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static void AttachLoadContext()
        {
            var path = Path.Combine(ModuleDirectory, "LeadConnector.Isolation.dll");
            var isolation = Assembly.LoadFrom(path);
            var context = isolation.GetType("LeadConnector.Isolation.DependencyLoadContext", throwOnError: true)!;
            var attach = context.GetMethod("Attach", BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException(context.FullName, "Attach");
            try
            {
                attach.Invoke(null, new object[] { CoreDependencyDirectory });
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            }
        }
    }
}
