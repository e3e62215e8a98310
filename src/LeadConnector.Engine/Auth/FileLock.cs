using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A lock shared by every process of the machine: a lock file opened with no sharing (on Unix an flock). The open
    /// handle is the lock, not the file's existence, so a process that dies releases it with its handles and no stale
    /// lock is ever left behind. The file itself stays (deleting it would let two holders lock two different files).
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private FileStream? _handle;

        private FileLock(FileStream handle) => _handle = handle;

        /// <summary>Waits until this process holds the lock at <paramref name="path"/>, polling, for at most <paramref name="timeout"/>.</summary>
        public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, string what, CancellationToken cancellation)
        {
            var deadline = DateTime.UtcNow + timeout;
            var wait = TimeSpan.FromMilliseconds(10);
            while (true)
            {
                try
                {
                    return new FileLock(AtomicFile.OpenOwnerOnly(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException ex) when (IsMissing(ex))
                {
                    // No folder to lock in: not another process's doing, so waiting cannot help.
                    throw;
                }
                catch (IOException) when (!(DateTime.UtcNow > deadline))
                {
                    // Held by another process (or another connection of this one): it is released within one token request.
                }
                catch (IOException ex)
                {
                    throw new LcException(LcErrorKind.Timeout,
                        $"Waited {timeout.TotalSeconds:0} s for the lock of {what} ('{path}'), which another process holds while it renews the token; it was not released. Nothing was sent.", ex);
                }
                await Task.Delay(wait, cancellation).ConfigureAwait(false);
                if (wait < TimeSpan.FromMilliseconds(200)) wait = TimeSpan.FromTicks(wait.Ticks * 2);
            }
        }

        /// <summary><see cref="AcquireAsync"/> for callers on a thread that may block (a cmdlet saving a connection).</summary>
        public static FileLock Acquire(string path, TimeSpan timeout, string what) =>
            AcquireAsync(path, timeout, what, CancellationToken.None).GetAwaiter().GetResult();

        private static bool IsMissing(IOException ex) =>
            ex is DirectoryNotFoundException || ex is FileNotFoundException || ex is PathTooLongException || ex is DriveNotFoundException;

        public void Dispose()
        {
            Interlocked.Exchange(ref _handle, null)?.Dispose();
        }
    }
}
