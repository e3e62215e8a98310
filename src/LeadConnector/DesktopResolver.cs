using System;
using System.IO;
using System.Reflection;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework, no load contexts): an AssemblyResolve handler that answers only for the
    /// assemblies that ship in one directory (bin/Desktop), and only when this module's own assemblies ask (or the
    /// runtime does not say who asks). Any version asked for gets the shipped file: Windows PowerShell has no binding
    /// redirects for a module.
    /// No System.Management.Automation type here, so tests/LeadConnector.Desktop.Tests can load this class from the
    /// built module under Mono or plain .NET Framework, where PowerShell is not.
    /// </summary>
    internal sealed class DesktopResolver
    {
        private readonly string _directory;

        internal DesktopResolver(string directory) => _directory = directory;

        internal void Register() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        internal void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            if (!IsOurRequest(args.RequestingAssembly, _directory)) return null;
            var path = ShippedPath(args.Name, _directory);
            return path == null ? null : Assembly.LoadFrom(path);
        }

        /// <summary>The shipped file for a requested assembly, or null when it is not one of ours.</summary>
        internal static string? ShippedPath(string assemblyName, string directory)
        {
            var simple = new AssemblyName(assemblyName).Name;
            if (string.IsNullOrEmpty(simple) || simple!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            var candidate = Path.Combine(directory, simple + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }

        /// <summary>True when the request comes from this module's own code, or when the runtime does not say.</summary>
        internal static bool IsOurRequest(Assembly? requesting, string directory)
        {
            if (requesting == null) return true;
            if (requesting == typeof(DesktopResolver).Assembly) return true;
            string location;
            try { location = requesting.Location; }
            catch (NotSupportedException) { return false; } // dynamic assemblies
            return !string.IsNullOrEmpty(location) &&
                   string.Equals(Path.GetDirectoryName(location), directory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.OrdinalIgnoreCase);
        }
    }
}
