using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Keeps an OAuth refresh token in a file. Refresh tokens rotate: each refresh returns a new one and the old one
    /// dies, so a lost write locks the automation out. Every save writes a temporary file beside the target (owner-only
    /// on Unix), flushes it to disk, then renames it over the target, so the file always holds either the old token or
    /// the new one, never half of one. A process that dies after the write but before the rename leaves the new token
    /// in the pending file, and <see cref="Load"/> prefers it. Renewals take the lock file beside it ('.lock'), so
    /// processes that share the file renew one after the other, each with the newest token.
    /// </summary>
    internal sealed class RefreshTokenStore : IRefreshTokenStore
    {
        private const string PendingSuffix = AtomicFile.PendingSuffix;
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

        public string Description => $"the refresh token file '{Path}'";

        public Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellation) => LockAsync(Path + ".lock", timeout, Description, cancellation);

        internal static async Task<IDisposable> LockAsync(string lockPath, TimeSpan timeout, string what, CancellationToken cancellation) =>
            await FileLock.AcquireAsync(lockPath, timeout, what, cancellation).ConfigureAwait(false);

        public string? Recovery(string refreshToken) => IsPending(refreshToken)
            ? $"The new one is kept in this session and in '{PendingPath}', which Connect-Lc -RefreshTokenPath reads first. "
            : null;

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
                AtomicFile.Write(Path, Encoding.UTF8.GetBytes(refreshToken), _afterPendingWritten);
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

        private void Commit() => AtomicFile.Commit(PendingPath, Path);
    }
}
