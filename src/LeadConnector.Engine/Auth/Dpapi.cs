using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Windows DPAPI for the current user (CryptProtectData / CryptUnprotectData in crypt32), without a package: only
    /// the same Windows user on the same machine can decrypt what it encrypts. The same code serves the net8.0 and the
    /// netstandard2.0 (Windows PowerShell 5.1) builds; it is called on Windows only.
    /// </summary>
    internal static class Dpapi
    {
        /// <summary>True where DPAPI exists (Windows).</summary>
        public static bool IsAvailable => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // Binds the blobs to this module: another program of the same user that calls CryptUnprotectData without it fails.
        private static readonly byte[] Entropy = System.Text.Encoding.UTF8.GetBytes("LeadConnector.SavedConnection.v1");

        private const int CRYPTPROTECT_UI_FORBIDDEN = 0x1;

        [StructLayout(LayoutKind.Sequential)]
        private struct DataBlob
        {
            public int Size;
            public IntPtr Data;
        }

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool CryptProtectData(ref DataBlob dataIn, string? description, ref DataBlob entropy,
            IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy,
            IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("kernel32.dll")]
        private static extern IntPtr LocalFree(IntPtr mem);

        public static byte[] Protect(byte[] plain) => Run(plain, protect: true);

        public static byte[] Unprotect(byte[] cipher) => Run(cipher, protect: false);

        private static byte[] Run(byte[] input, bool protect)
        {
            if (!IsAvailable) throw new PlatformNotSupportedException("DPAPI exists on Windows only.");
            var inHandle = GCHandle.Alloc(input, GCHandleType.Pinned);
            var entropyHandle = GCHandle.Alloc(Entropy, GCHandleType.Pinned);
            var output = new DataBlob();
            try
            {
                var dataIn = new DataBlob { Size = input.Length, Data = inHandle.AddrOfPinnedObject() };
                var entropy = new DataBlob { Size = Entropy.Length, Data = entropyHandle.AddrOfPinnedObject() };
                var ok = protect
                    ? CryptProtectData(ref dataIn, "LeadConnector saved connection", ref entropy, IntPtr.Zero, IntPtr.Zero, CRYPTPROTECT_UI_FORBIDDEN, ref output)
                    : CryptUnprotectData(ref dataIn, IntPtr.Zero, ref entropy, IntPtr.Zero, IntPtr.Zero, CRYPTPROTECT_UI_FORBIDDEN, ref output);
                if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error());
                var result = new byte[output.Size];
                Marshal.Copy(output.Data, result, 0, output.Size);
                return result;
            }
            finally
            {
                if (output.Data != IntPtr.Zero)
                {
                    // Clear the plain text before the memory goes back.
                    if (!protect) Marshal.Copy(new byte[output.Size], 0, output.Data, output.Size);
                    LocalFree(output.Data);
                }
                inHandle.Free();
                entropyHandle.Free();
            }
        }
    }
}
