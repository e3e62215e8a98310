using System;
using System.IO;
using System.Text;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Keeps an OAuth refresh token in a file. Refresh tokens rotate: each refresh returns a new one and the old one
    /// dies, so a lost write locks the automation out. Every save writes a temporary file beside the target (owner-only
    /// on Unix), flushes it to disk, then renames it over the target, so the file always holds either the old token or
    /// the new one, never half of one. A process that dies after the write but before the rename leaves the new token
    /// in the pending file, and <see cref="Load"/> prefers it.
    /// </summary>
    internal sealed class RefreshTokenStore
    {
        private const string PendingSuffix = ".pending";
        private readonly object _sync = new object();
        private readonly Action? _afterPendingWritten;

        /// <param name="path">The file that keeps the token.</param>
        /// <param name="afterPendingWritten">Runs after the pending file is written and before it is renamed (tests put a crash there).</param>
        public RefreshTokenStore(string path, Action? afterPendingWritten = null)
        {
            _afterPendingWritten = afterPendingWritten;
            if (string.IsNullOrWhiteSpace(path)) throw LcException.InvalidInput("The refresh token path is empty.");
            Path = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
                throw LcException.InvalidInput($"The folder of the refresh token file '{Path}' does not exist.");
        }

        public string Path { get; }

        /// <summary>Where a save writes first; <see cref="Load"/> prefers it, so a token left there is not lost.</summary>
        public string PendingPath => Path + PendingSuffix;


        /// <summary>The stored token: the pending file's when a save was interrupted, else the file's; null when neither exists.</summary>
        public string? Load()
        {
            lock (_sync)
            {
                foreach (var candidate in new[] { PendingPath, Path })
                {
                    if (!File.Exists(candidate)) continue;
                    var text = File.ReadAllText(candidate, Encoding.UTF8).Trim();
                    if (text.Length == 0) continue;
                    if (candidate == PendingPath)
                    {
                        // Finish the interrupted save, so the file and the pending copy agree again.
                        Commit();
                    }
                    return text;
                }
                return null;
            }
        }

        /// <summary>Writes the token atomically: pending file (owner-only), flushed, then renamed over the target.</summary>
        public void Save(string refreshToken)
        {
            if (string.IsNullOrEmpty(refreshToken)) throw new ArgumentException("A refresh token is required.", nameof(refreshToken));
            lock (_sync)
            {
                var bytes = Encoding.UTF8.GetBytes(refreshToken);
                using (var stream = OpenOwnerOnly(PendingPath))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                _afterPendingWritten?.Invoke();
                Commit();
            }
        }

        /// <summary>
        /// After a failed <see cref="Save"/>: true when the pending file holds <paramref name="refreshToken"/>, so that the
        /// next <see cref="Load"/> finds it. Never throws.
        /// </summary>
        public bool IsPending(string refreshToken)
        {
            try
            {
                lock (_sync)
                    return File.Exists(PendingPath) && string.Equals(File.ReadAllText(PendingPath, Encoding.UTF8).Trim(), refreshToken, StringComparison.Ordinal);
            }
            catch (Exception ex) when (IsFileError(ex))
            {
                return false;
            }
        }

        /// <summary>The exceptions a file read or write can end with (a full disk, a read-only or missing folder).</summary>
        internal static bool IsFileError(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException;

        private void Commit()
        {
#if NET8_0_OR_GREATER
            File.Move(PendingPath, Path, overwrite: true);
#else
            if (File.Exists(Path)) File.Replace(PendingPath, Path, null);
            else File.Move(PendingPath, Path);
#endif
        }

        private static FileStream OpenOwnerOnly(string path)
        {
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                // Created with 0600 from the first byte; an existing file keeps its mode, so make it 0600 too.
                var options = new FileStreamOptions
                {
                    Mode = FileMode.Create,
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                };
                var stream = new FileStream(path, options);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                return stream;
            }
#endif
            // Windows: the file inherits the folder's ACL (a user profile folder is the user's own).
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        }
    }
}
