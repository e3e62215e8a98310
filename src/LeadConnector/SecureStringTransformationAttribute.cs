using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Lets -AccessToken (and the other secrets of Connect-Lc) take a plain String as well as a SecureString; and reads
    /// one back (<see cref="Plain"/>) for the engine, which holds secrets as strings.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData) => Convert(inputData);

        internal static SecureString? Convert(object? input)
        {
            if (input is PSObject pso) input = pso.BaseObject;
            switch (input)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case string text:
                    return Engine.RenewingTokenProvider.Secure(text);
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"The access token must be a String or a SecureString, not a {input.GetType().Name}.");
            }
        }

        /// <summary>The text of a SecureString; null for none or an empty one.</summary>
        internal static string? Plain(SecureString? secure)
        {
            if (secure == null || secure.Length == 0) return null;
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
