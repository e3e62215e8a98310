using System;
using System.Runtime.InteropServices;

namespace LeadConnector.Engine
{
    /// <summary>Facts about the runtime the engine runs on, each worked out once.</summary>
    internal static class Platform
    {
        /// <summary>True in Windows PowerShell 5.1 (.NET Framework), false in PowerShell 7 (.NET).</summary>
        public static readonly bool IsNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
