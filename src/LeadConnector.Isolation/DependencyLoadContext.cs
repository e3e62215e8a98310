using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace LeadConnector.Isolation
{
    /// <summary>
    /// The module's private load context (Microsoft's "Resolving PowerShell module assembly dependency conflicts",
    /// the AssemblyLoadContext pattern): every assembly in the Dependencies folder loads here, from that folder,
    /// whatever version of it the default context already holds. Anything else (the framework) comes from the default
    /// context as usual.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        /// <summary>The one assembly the default context may ask for: the cmdlets reference only the engine.</summary>
        public const string EntryAssembly = "LeadConnector.Engine";

        private static readonly object Sync = new object();
        private static DependencyLoadContext? _instance;

        private readonly string _directory;
        private readonly HashSet<string> _shipped;

        private DependencyLoadContext(string directory) : base("LeadConnector", isCollectible: false)
        {
            _directory = directory;
            _shipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in Directory.EnumerateFiles(directory, "*.dll"))
                _shipped.Add(Path.GetFileNameWithoutExtension(file));
        }

        /// <summary>
        /// Creates the context for <paramref name="dependencyDirectory"/> (once per process) and lets the default
        /// context resolve the engine through it. Called by the cmdlet assembly's module initializer on import.
        /// Returns false when it was already attached.
        /// </summary>
        public static bool Attach(string dependencyDirectory)
        {
            if (string.IsNullOrEmpty(dependencyDirectory)) throw new ArgumentNullException(nameof(dependencyDirectory));
            lock (Sync)
            {
                if (_instance != null) return false;
                if (!File.Exists(Path.Combine(dependencyDirectory, EntryAssembly + ".dll")))
                    throw new FileNotFoundException(
                        $"The module's dependency folder '{dependencyDirectory}' has no {EntryAssembly}.dll; the module is incomplete. Reinstall it.",
                        Path.Combine(dependencyDirectory, EntryAssembly + ".dll"));
                _instance = new DependencyLoadContext(dependencyDirectory);
                Default.Resolving += ResolveEngine;
                return true;
            }
        }

        /// <summary>Only the engine is answered for the default context; its dependencies then load through this context.</summary>
        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
        {
            var alc = _instance;
            if (alc == null || !string.Equals(name.Name, EntryAssembly, StringComparison.Ordinal)) return null;
            return alc.LoadFromAssemblyName(name);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (name == null || !_shipped.Contains(name)) return null; // the framework: the default context's copy
            return LoadFromAssemblyPath(Path.Combine(_directory, name + ".dll"));
        }
    }
}
