using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Where a download's 2xx body goes: <see cref="RestTransport"/> hands the response to it, headers read and content
    /// not buffered, once per attempt. It must start over on each call (a retried attempt sends the body again).
    /// </summary>
    internal abstract class DownloadSink
    {
        public abstract Task WriteAsync(HttpResponseMessage response, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Writes a download to a file without holding it: into a hidden temporary file beside the target, renamed over the
    /// target only once the whole body arrived, and deleted on any failure, so a partial file is never left behind.
    /// With a folder as target, the file name is the answer's Content-Disposition one (made safe), else a default.
    /// </summary>
    internal sealed class FileSink : DownloadSink
    {
        private const int BufferSize = 81920;
        private readonly string _path;
        private readonly bool _folder;
        private readonly bool _force;
        private readonly string _defaultName;

        public FileSink(string path, bool folder, bool force, string defaultName)
        {
            _path = path;
            _folder = folder;
            _force = force;
            _defaultName = defaultName;
        }

        /// <summary>The file written (known once the first answer's headers arrived).</summary>
        public string? Target { get; private set; }
        public string? Temporary { get; private set; }
        public long Length { get; private set; }
        public string? ContentType { get; private set; }

        public override async Task WriteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var headers = response.Content?.Headers;
            if (Target == null)
            {
                Target = _folder ? Path.Combine(_path, SafeName(headers?.ContentDisposition) ?? _defaultName) : _path;
                Refuse(Target, _force);
                var directory = Path.GetDirectoryName(Path.GetFullPath(Target)) ?? ".";
                Temporary = Path.Combine(directory, "." + Path.GetFileName(Target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            }
            ContentType = headers?.ContentType?.MediaType;
            Length = 0;
            using var content = response.Content == null ? Stream.Null : await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var file = new FileStream(Temporary!, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int n;
                while ((n = await content.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await file.WriteAsync(buffer, 0, n, cancellationToken).ConfigureAwait(false);
                    Length += n;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
            var declared = headers?.ContentLength;
            if (declared is long expected && expected != Length)
                throw new IOException($"The connection closed after {Length} of {expected} body bytes.");
        }

        /// <summary>Moves the finished temporary file over the target.</summary>
        public void Commit()
        {
            if (Temporary == null || Target == null) throw new InvalidOperationException("Nothing was downloaded.");
            Refuse(Target, _force); // it may have appeared meanwhile
            if (File.Exists(Target)) File.Delete(Target);
            File.Move(Temporary, Target);
            Temporary = null;
        }

        /// <summary>Deletes the temporary file, if any (after a failure).</summary>
        public void Discard()
        {
            var temp = Temporary;
            Temporary = null;
            if (temp == null) return;
            try { File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>An existing file without -Force: refused (InvalidInput, marked <see cref="FileExistsKey"/>).</summary>
        internal static void Refuse(string target, bool force)
        {
            if (Directory.Exists(target))
                throw Exists(target, $"'{target}' is a folder; pass a file path or a folder to save into.");
            if (!force && File.Exists(target))
                throw Exists(target, $"The file '{target}' exists. Use -Force to overwrite it.");
        }

        internal const string FileExistsKey = "LeadConnector.FileExists";

        private static LcException Exists(string target, string message)
        {
            var ex = LcException.InvalidInput(message);
            ex.Data[FileExistsKey] = target;
            return ex;
        }

        /// <summary>The file name of a Content-Disposition, without any folder part or character a file name cannot hold.</summary>
        internal static string? SafeName(ContentDispositionHeaderValue? disposition)
        {
            var raw = disposition?.FileNameStar ?? disposition?.FileName;
            if (string.IsNullOrWhiteSpace(raw)) return null;
            var name = raw!.Trim().Trim('"');
            // Only the last segment, whichever separator the server used.
            var cut = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\'));
            if (cut >= 0) name = name.Substring(cut + 1);
            var invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();
            name = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim(' ', '.');
            if (name.Length == 0 || name == "." || name == "..") return null;
            return name.Length > 200 ? name.Substring(name.Length - 200) : name;
        }
    }
}

namespace LeadConnector
{
    /// <summary>
    /// A download an operation built and checked once (the path), sent like an <see cref="LcRequest{T}"/> (token,
    /// pacing, retries, errors) but saved straight to a file, streamed: the body is never held in memory, whatever its size.
    /// </summary>
    public sealed class LcDownload
    {
        private readonly Connection _connection;

        internal LcDownload(Connection connection, string path, string messageId, string locationId, string defaultFileName)
        {
            _connection = connection;
            Path = path;
            MessageId = messageId;
            LocationId = locationId;
            DefaultFileName = defaultFileName;
        }

        public string Method => "GET";
        /// <summary>The path relative to the connection's base URI, built from checked segments.</summary>
        public string Path { get; }
        public string MessageId { get; }
        public string LocationId { get; }
        /// <summary>The file name used in a folder when the answer names none.</summary>
        public string DefaultFileName { get; }

        /// <summary>
        /// True when <paramref name="path"/> means a folder to save into: an existing folder, or a path ending with a separator.
        /// </summary>
        public static bool IsFolder(string path) =>
            Directory.Exists(path) || path.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ||
            path.EndsWith(System.IO.Path.AltDirectorySeparatorChar.ToString(), StringComparison.Ordinal);

        /// <summary>
        /// Refuses, before anything is sent, a target file that exists (without <paramref name="force"/>) or a folder
        /// that does not. <paramref name="path"/> is a full file-system path.
        /// </summary>
        public void Check(string path, bool force)
        {
            if (IsFolder(path))
            {
                if (!Directory.Exists(path)) throw LcException.InvalidInput($"The folder '{path}' does not exist.");
                return;
            }
            FileSink.Refuse(path, force);
            var directory = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
                throw LcException.InvalidInput($"The folder '{directory}' does not exist.");
        }

        /// <summary>
        /// Sends the GET and saves the body to <paramref name="path"/> (a full path: a file, or a folder to save into
        /// under the answer's file name). The file appears only once whole; on failure nothing is left behind.
        /// </summary>
        public async Task<MessageRecording> SaveAsync(string path, bool force, LcCall call)
        {
            Check(path, force);
            var sink = new FileSink(path, IsFolder(path), force, DefaultFileName);
            try
            {
                await _connection.Client.DownloadAsync(Path, call, sink).ConfigureAwait(false);
                sink.Commit();
            }
            catch
            {
                sink.Discard();
                throw;
            }
            return new MessageRecording
            {
                MessageId = MessageId,
                LocationId = LocationId,
                Path = sink.Target,
                Length = sink.Length,
                ContentType = sink.ContentType,
            };
        }

        public override string ToString() => Method + " /" + Path;
    }
}
