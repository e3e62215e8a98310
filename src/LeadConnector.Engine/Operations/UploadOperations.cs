using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A local file checked for upload: it exists, can be read, is of a type the API takes and within the channel's limit.</summary>
    public sealed class LocalAttachment
    {
        internal LocalAttachment(string path, string fileName, long length, string contentType, bool signed)
        {
            Path = path;
            FileName = fileName;
            Length = length;
            ContentType = contentType;
            Signed = signed;
        }

        /// <summary>The full path on disk.</summary>
        public string Path { get; }
        public string FileName { get; }
        public long Length { get; }
        public string ContentType { get; }
        /// <summary>Over the direct upload limit: sent through a signed URL (initiate, PUT, complete).</summary>
        public bool Signed { get; }

        public override string ToString() => FileName;
    }

    /// <summary>How far the uploads of one send are: read from any thread while they run.</summary>
    public sealed class UploadProgress
    {
        private long _sent;
        private volatile LocalAttachment? _current;
        private readonly System.Collections.Concurrent.ConcurrentQueue<LocalAttachment> _started = new System.Collections.Concurrent.ConcurrentQueue<LocalAttachment>();

        /// <summary>The next file whose upload started since the last call, or null: so a file that uploads between two looks is still shown.</summary>
        public LocalAttachment? NextStarted() => _started.TryDequeue(out var f) ? f : null;

        /// <summary>Bytes of the current file sent so far.</summary>
        public long Sent => Interlocked.Read(ref _sent);
        /// <summary>The file being uploaded, or null between files.</summary>
        public LocalAttachment? Current => _current;

        internal void Start(LocalAttachment file)
        {
            Interlocked.Exchange(ref _sent, 0);
            _current = file;
            _started.Enqueue(file);
        }

        internal void Report(long sent) => Interlocked.Exchange(ref _sent, sent);
        internal void Done() => _current = null;
    }

    /// <summary>
    /// The file uploads of conversations.json: POST /conversations/messages/upload (multipart/form-data, part
    /// "fileAttachment") for files within the direct limit, and upload/initiate → PUT to the signed URL → upload/complete
    /// for larger ones (WhatsApp takes up to 100 MB). Every file is checked before anything is sent.
    /// </summary>
    public sealed class UploadOperations
    {
        /// <summary>The largest file the direct (multipart) upload and every channel but WhatsApp take: 5 MB.</summary>
        public const long DirectLimit = 5L * 1024 * 1024;
        /// <summary>The largest file a WhatsApp message takes (InitiateFileUploadDto: "WHATSAPP for 100MB limit").</summary>
        public const long WhatsAppLimit = 100L * 1024 * 1024;

        /// <summary>The file types the upload endpoint allows (its description), by extension, with the content type sent.</summary>
        public static readonly IReadOnlyDictionary<string, string> AllowedTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png", [".mp4"] = "video/mp4",
            [".mpeg"] = "video/mpeg", [".zip"] = "application/zip", [".rar"] = "application/vnd.rar", [".pdf"] = "application/pdf",
            [".doc"] = "application/msword", [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            [".txt"] = "text/plain", [".mp3"] = "audio/mpeg", [".wav"] = "audio/wav",
        };

        private readonly Connection _connection;

        public UploadOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>The largest attachment a message of <paramref name="type"/> (a send type) takes.</summary>
        public static long ChannelLimit(string type) => string.Equals(type, "WhatsApp", StringComparison.OrdinalIgnoreCase) ? WhatsAppLimit : DirectLimit;

        /// <summary>The channel named in upload/initiate: WHATSAPP, or the send type in upper case.</summary>
        internal static string Channel(string type) => type.ToUpperInvariant();

        /// <summary>
        /// Checks local files (full paths) for a message of <paramref name="type"/>: each must exist, be a file that can
        /// be read, have an allowed extension, hold at least one byte and fit the channel's limit. Throws InvalidInput
        /// naming the file otherwise; nothing is sent.
        /// </summary>
        public static IReadOnlyList<LocalAttachment> CheckFiles(IEnumerable<string> paths, string type)
        {
            var limit = ChannelLimit(type);
            var files = new List<LocalAttachment>();
            foreach (var path in paths)
            {
                if (string.IsNullOrWhiteSpace(path)) throw LcException.InvalidInput("An -AttachmentPath is empty. Nothing was sent.");
                var shown = InputGuard.Printable(path);
                if (Directory.Exists(path)) throw LcException.InvalidInput($"The attachment '{shown}' is a folder, not a file. Nothing was sent.");
                if (!File.Exists(path)) throw LcException.InvalidInput($"The attachment file '{shown}' does not exist. Nothing was sent.");
                var name = System.IO.Path.GetFileName(path);
                var extension = System.IO.Path.GetExtension(path);
                if (!AllowedTypes.TryGetValue(extension, out var contentType))
                    throw LcException.InvalidInput($"The attachment '{shown}' is of a type the API does not take ('{InputGuard.Printable(extension)}'). " +
                        $"Allowed: {string.Join(", ", AllowedTypes.Keys.Select(k => k.Substring(1).ToUpperInvariant()))}. Nothing was sent.");
                long length;
                try
                {
                    using (var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
                    {
                        length = probe.Length;
                        if (length > 0) probe.ReadByte();
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
                {
                    throw LcException.InvalidInput($"The attachment '{shown}' cannot be read: {ex.Message} Nothing was sent.", ex);
                }
                if (length == 0) throw LcException.InvalidInput($"The attachment '{shown}' is empty. Nothing was sent.");
                if (length > limit)
                    throw LcException.InvalidInput($"The attachment '{shown}' is {Size(length)}; a {type} message takes files up to {Size(limit)}. Nothing was sent.");
                files.Add(new LocalAttachment(path, name, length, contentType, signed: length > DirectLimit));
            }
            return files;
        }

        internal static string Size(long bytes) => bytes >= 1024 * 1024
            ? (bytes / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " MB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

        /// <summary>
        /// A message with local files, checked once (the message, every file, the ids, the location): nothing is sent
        /// for input the API would refuse. <paramref name="conversationId"/> null: the contact's conversation is looked up
        /// when sending (and created when it has none), as the upload endpoint needs one.
        /// </summary>
        public MessageWithAttachments PrepareSend(MessageSend send, IReadOnlyList<string> paths, string? conversationId)
        {
            if (send == null) throw new ArgumentNullException(nameof(send));
            if (paths == null || paths.Count == 0) throw new ArgumentException("No files.", nameof(paths));
            send.Type = send.Validate(DateTimeOffset.UtcNow, paths.Count);
            if (conversationId != null) InputGuard.Id(conversationId, "conversation id");
            var location = new ConversationOperations(_connection).ResolveLocation(null);
            var files = CheckFiles(paths, send.Type);
            return new MessageWithAttachments(this, send, files, conversationId, location);
        }

        /// <summary>POST /conversations/messages/upload: one file as multipart/form-data; returns its URL.</summary>
        internal async Task<string> UploadDirectAsync(LocalAttachment file, string conversationId, string contactId, string locationId,
            IReadOnlyList<string> attachmentUrls, LcCall call)
        {
            const string path = "conversations/messages/upload";
            var fields = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("conversationId", conversationId),
                new KeyValuePair<string, string>("contactId", contactId),
                new KeyValuePair<string, string>("locationId", locationId),
            };
            // attachmentUrls is required by UploadFilesDto: the message's URL attachments, or one empty value when it has none.
            if (attachmentUrls.Count == 0) fields.Add(new KeyValuePair<string, string>("attachmentUrls", ""));
            foreach (var url in attachmentUrls) fields.Add(new KeyValuePair<string, string>("attachmentUrls", url));
            var body = RequestBody.Multipart(fields, new[]
            {
                new FilePart("fileAttachment", file.FileName, file.ContentType, file.Length,
                    () => new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)),
            });
            return await _connection.Client.SendAsync(HttpMethod.Post, path, null, body, call, b => UploadedUrl(b, file, "POST", path)).ConfigureAwait(false);
        }

        /// <summary>upload/initiate → PUT the bytes to the signed URL (no Authorization) → upload/complete; returns the file's URL.</summary>
        internal async Task<string> UploadSignedAsync(LocalAttachment file, string conversationId, string locationId, string type,
            Action<long>? progress, LcCall call)
        {
            const string initiatePath = "conversations/messages/upload/initiate";
            var initiate = JsonBody.Write(w =>
            {
                w.WriteString("locationId", locationId);
                w.WriteString("conversationId", conversationId);
                w.WriteString("filename", file.FileName);
                w.WriteString("contentType", file.ContentType);
                w.WriteNumber("fileSize", file.Length);
                w.WriteString("channel", Channel(type));
            });
            var grant = await _connection.Client.SendAsync(HttpMethod.Post, initiatePath, null, initiate, call, b => ReadGrant(b, initiatePath)).ConfigureAwait(false);
            if (grant.MaxFileSize is long max && file.Length > max)
                throw new LcException(LcErrorKind.InvalidRequest, $"The API takes files up to {Size(max)} for this upload; '{file.FileName}' is {Size(file.Length)}. The file was not uploaded and nothing was sent.");

            await SignedUpload.PutAsync(grant.UploadUrl, file.Path, file.ContentType, progress, TimeSpan.FromSeconds(Math.Max(30, _connection.TimeoutSec)), call).ConfigureAwait(false);

            const string completePath = "conversations/messages/upload/complete";
            var complete = JsonBody.Write(w =>
            {
                w.WriteString("uploadId", grant.UploadId);
                w.WriteString("filePath", grant.FilePath);
                w.WriteString("locationId", locationId);
                w.WriteString("conversationId", conversationId);
                w.WriteString("filename", file.FileName);
            });
            return await _connection.Client.SendAsync(HttpMethod.Post, completePath, null, complete, call, b => UploadedUrl(b, file, "POST", completePath)).ConfigureAwait(false);
        }

        private sealed class Grant
        {
            public Uri UploadUrl = null!;
            public string UploadId = "";
            public string FilePath = "";
            public long? MaxFileSize;
        }

        private static Grant ReadGrant(byte[] body, string path)
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? Str(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var url = Str("uploadUrl");
            var id = Str("uploadId");
            var filePath = Str("filePath");
            if (url == null || id == null || filePath == null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw ConversationOperations.Unexpected("POST", path, "uploadUrl (an http(s) URL), uploadId and filePath");
            long? max = root.TryGetProperty("maxFileSize", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt64(out var n) ? n : (long?)null;
            return new Grant { UploadUrl = uri, UploadId = id, FilePath = filePath, MaxFileSize = max };
        }

        /// <summary>The URL of <paramref name="file"/> in an answer's uploadedFiles map (file name → URL; the only entry when the name differs).</summary>
        private static string UploadedUrl(byte[] body, LocalAttachment file, string method, string path)
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("uploadedFiles", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                var urls = map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .Select(p => (p.Name, Url: p.Value.GetString())).ToList();
                var url = urls.Where(p => p.Name == file.FileName).Select(p => p.Url).FirstOrDefault() ?? (urls.Count == 1 ? urls[0].Url : null);
                if (url != null && Uri.TryCreate(url, UriKind.Absolute, out _)) return url;
            }
            throw ConversationOperations.Unexpected(method, path, $"uploadedFiles with the URL of '{file.FileName}'");
        }
    }

    /// <summary>A message with local files to upload first (<see cref="UploadOperations.PrepareSend"/>): checked, not yet sent.</summary>
    public sealed class MessageWithAttachments
    {
        private readonly UploadOperations _uploads;
        private readonly string _location;

        internal MessageWithAttachments(UploadOperations uploads, MessageSend send, IReadOnlyList<LocalAttachment> files, string? conversationId, string location)
        {
            _uploads = uploads;
            Message = send;
            Files = files;
            ConversationId = conversationId;
            _location = location;
        }

        public MessageSend Message { get; }
        public IReadOnlyList<LocalAttachment> Files { get; }
        /// <summary>The conversation given; null: looked up (or created) from the contact when sending.</summary>
        public string? ConversationId { get; }

        /// <summary>
        /// Uploads every file, then sends the message with their URLs after the given -Attachments ones. A failure stops
        /// it there: no message is sent with part of its files. Each POST is sent once (never resent after it may have
        /// reached the application).
        /// </summary>
        public async Task<SendResult> SendAsync(Connection connection, UploadProgress? progress, LcCall call)
        {
            var send = Message;
            var conversationId = ConversationId ?? await FindConversationAsync(connection, send.ContactId, call).ConfigureAwait(false);
            var urls = new List<string>();
            var given = send.Attachments ?? Array.Empty<string>();
            foreach (var file in Files)
            {
                progress?.Start(file);
                if (call.HasTrace) call.Verbose($"Uploading '{file.FileName}' ({UploadOperations.Size(file.Length)}, {file.ContentType}){(file.Signed ? " through a signed URL" : "")}.");
                urls.Add(file.Signed
                    ? await _uploads.UploadSignedAsync(file, conversationId, _location, send.Type, progress == null ? null : progress.Report, call).ConfigureAwait(false)
                    : await _uploads.UploadDirectAsync(file, conversationId, send.ContactId, _location, given, call).ConfigureAwait(false));
                progress?.Report(file.Length);
                progress?.Done();
            }
            var result = await new MessageOperations(connection).Send(send.WithAttachments(urls)).SendAsync(call).ConfigureAwait(false);
            result.UploadedAttachments = StringList.Of(urls.ToArray());
            return result;
        }

        /// <summary>The contact's most recent conversation in the location, created when it has none (the send would create it too).</summary>
        private async Task<string> FindConversationAsync(Connection connection, string contactId, LcCall call)
        {
            var ops = new ConversationOperations(connection);
            var page = await ops.Search(new ConversationQuery { LocationId = _location, ContactId = contactId }).Page(1, null).SendAsync(call).ConfigureAwait(false);
            var found = page.Items.FirstOrDefault(c => c.Id != null && c.ContactId == contactId);
            if (found?.Id != null) return InputGuard.Id(found.Id, "conversation id");
            if (call.HasTrace) call.Verbose($"Contact {contactId} has no conversation yet: creating one for the uploads.");
            var created = await ops.Create(_location, contactId).SendAsync(call).ConfigureAwait(false);
            return InputGuard.Id(created.Id ?? throw ConversationOperations.Unexpected("POST", "conversations/", "a conversation id"), "conversation id");
        }
    }
}
