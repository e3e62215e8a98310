using System;
using System.IO;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Crash-safe, owner-only file writes, shared by the refresh token file (-RefreshTokenPath) and saved connections:
    /// write a pending file beside the target (0600 on Unix), flush it to disk, then rename it over the target, so the
    /// target always holds either the old content or the new, never half of one.
    /// </summary>
    internal static class AtomicFile
    {
        public const string PendingSuffix = ".pending";

        /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> + ".pending", flushed, then renames it over <paramref name="path"/>.</summary>
        public static void Write(string path, byte[] bytes, Action? afterPendingWritten = null)
        {
            var pending = path + PendingSuffix;
            using (var stream = OpenOwnerOnly(pending, FileMode.Create, FileAccess.Write))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
            afterPendingWritten?.Invoke();
            Commit(pending, path);
        }

        /// <summary>Renames <paramref name="pending"/> over <paramref name="path"/>.</summary>
        public static void Commit(string pending, string path)
        {
#if NET8_0_OR_GREATER
            File.Move(pending, path, overwrite: true);
#else
            if (File.Exists(path)) File.Replace(pending, path, null);
            else File.Move(pending, path);
#endif
        }

        /// <summary>Opens (creating when needed) a file only its owner may read or write on Unix; on Windows it inherits the folder's ACL.</summary>
        public static FileStream OpenOwnerOnly(string path, FileMode mode, FileAccess access, FileShare share = FileShare.None)
        {
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                // Created with 0600 from the first byte; an existing file keeps its mode, so make it 0600 too.
                var options = new FileStreamOptions
                {
                    Mode = mode,
                    Access = access,
                    Share = share,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                };
                var stream = new FileStream(path, options);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                return stream;
            }
#endif
            // Windows: the file inherits the folder's ACL (a user profile folder is the user's own).
            return new FileStream(path, mode, access, share);
        }

        /// <summary>Creates the folder (and its parents) only its owner may enter on Unix (0700), and narrows it to 0700 when it is wider.</summary>
        public static void EnsureOwnerOnlyFolder(string folder)
        {
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, ownerOnly);
                if (File.GetUnixFileMode(folder) != ownerOnly) File.SetUnixFileMode(folder, ownerOnly);
                return;
            }
#endif
            Directory.CreateDirectory(folder);
        }
    }
}
