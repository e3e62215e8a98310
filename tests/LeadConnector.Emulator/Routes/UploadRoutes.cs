using System.Collections.Concurrent;
using System.Security.Cryptography;
using LeadConnector.Emulator.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// The file uploads: POST /conversations/messages/upload (multipart/form-data, files under "fileAttachment", at most
/// 5 MB each), and the signed-URL flow for larger files: POST .../upload/initiate returns a signed URL on this emulator
/// (/_emulator/storage/{token}: outside the API, so no bearer token, no rate limit and no request-log entry, like the
/// storage host it stands for), the client PUTs the bytes there, and POST .../upload/complete returns the file's URL.
/// What each upload received (names, content types, sizes, SHA-256, form fields, whether an Authorization header came
/// to the storage) is listed at GET /_emulator/uploads and forgotten at DELETE /_emulator/uploads.
/// </summary>
internal static class UploadRoutes
{
    public const long DirectLimit = 5L * 1024 * 1024;
    public const long WhatsAppLimit = 100L * 1024 * 1024;
    private static readonly TimeSpan SignedUrlLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The types the upload endpoint allows (its description), by extension.</summary>
    private static readonly string[] AllowedExtensions =
        [".jpg", ".jpeg", ".png", ".mp4", ".mpeg", ".zip", ".rar", ".pdf", ".doc", ".docx", ".txt", ".mp3", ".wav"];

    private static readonly string[] UploadFields = ["conversationId", "contactId", "locationId", "attachmentUrls", "chatServiceSid", "isGroupSms"];
    private static readonly string[] InitiateMembers = ["locationId", "conversationId", "filename", "contentType", "fileSize", "channel"];
    private static readonly string[] CompleteMembers = ["uploadId", "filePath", "locationId", "conversationId", "filename"];

    /// <summary>A file the emulator received, by either route.</summary>
    internal sealed record ReceivedFile(int Sequence, string Route, string FileName, string ContentType, long Size, string Sha256,
        string Url, IReadOnlyDictionary<string, string[]> Fields, bool AuthorizationSent);

    private sealed class PendingUpload
    {
        public required string UploadId { get; init; }
        public required string Token { get; init; }
        public required string FilePath { get; init; }
        public required string LocationId { get; init; }
        public required string ConversationId { get; init; }
        public required string FileName { get; init; }
        public required string ContentType { get; init; }
        public required long MaxFileSize { get; init; }
        public required DateTimeOffset ExpiresAt { get; init; }
        public ReceivedFile? Stored { get; set; }
    }

    private sealed class UploadStore
    {
        private int _sequence;
        public ConcurrentDictionary<string, PendingUpload> Pending { get; } = new(StringComparer.Ordinal);
        public ConcurrentQueue<ReceivedFile> Received { get; } = new();
        public int Next() => Interlocked.Increment(ref _sequence);

        public void Clear()
        {
            Pending.Clear();
            Received.Clear();
        }
    }

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var data = state.Data;
        var store = new UploadStore();

        app.MapPost("/conversations/messages/upload", async (HttpContext context) =>
        {
            var request = context.Request;
            if (!request.HasFormContentType || !(request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                return Error(415, "The body must be multipart/form-data with the files under \"fileAttachment\"");
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                return ApiErrors.BadRequest($"The multipart body could not be read: {ex.Message}");
            }
            var errors = new List<string>();
            foreach (var key in form.Keys)
                if (!UploadFields.Contains(key, StringComparer.Ordinal)) errors.Add($"property {key} should not exist");
            foreach (var file in form.Files)
                if (file.Name != "fileAttachment") errors.Add($"Unexpected file field {file.Name}: files go under \"fileAttachment\"");
            string? Field(string name)
            {
                if (!form.TryGetValue(name, out var v) || v.Count == 0 || string.IsNullOrEmpty(v[0])) { errors.Add($"{name} should not be empty"); return null; }
                return v[0];
            }
            var conversationId = Field("conversationId");
            var contactId = Field("contactId");
            var locationId = Field("locationId");
            if (!form.ContainsKey("attachmentUrls")) errors.Add("attachmentUrls must be an array");
            var attachmentUrls = form.TryGetValue("attachmentUrls", out var given) ? given.Where(u => !string.IsNullOrEmpty(u)).ToArray() : [];
            foreach (var url in attachmentUrls)
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) errors.Add("each value in attachmentUrls must be a URL address");
            var files = form.Files.Where(f => f.Name == "fileAttachment").ToList();
            if (files.Count == 0) errors.Add("fileAttachment should not be empty");
            if (errors.Count > 0) return ApiErrors.Unprocessable(errors);

            var caller = ApiCaller.Of(context);
            if (locationId != caller.LocationId) return ApiErrors.Forbidden();
            var conversation = data.GetConversation(conversationId!);
            if (conversation is null) return ApiErrors.ConversationNotFound();
            if (conversation.LocationId != caller.LocationId) return ApiErrors.Forbidden();
            if (conversation.ContactId != contactId) return ApiErrors.BadRequest("contactId does not belong to the conversation");
            foreach (var file in files)
            {
                if (!AllowedExtensions.Contains(Path.GetExtension(file.FileName), StringComparer.OrdinalIgnoreCase))
                    return Error(415, $"File type of {file.FileName} is not allowed");
                if (file.Length > DirectLimit) return Error(413, $"{file.FileName} is larger than 5 MB: use upload/initiate");
                if (file.Length == 0) return ApiErrors.BadRequest($"{file.FileName} is empty");
            }

            var fields = form.Keys.ToDictionary(k => k, k => form[k].Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
            var uploaded = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                await using var stream = file.OpenReadStream();
                var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream, context.RequestAborted)).ToLowerInvariant();
                var url = FileUrl(request, caller.LocationId, conversation.Id, file.FileName);
                store.Received.Enqueue(new ReceivedFile(store.Next(), "direct", file.FileName, file.ContentType ?? "", file.Length, hash, url, fields,
                    request.Headers.ContainsKey("Authorization")));
                uploaded[file.FileName] = url;
            }
            return ApiJson.Ok(new { uploadedFiles = uploaded });
        });

        app.MapPost("/conversations/messages/upload/initiate", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(InitiateMembers);
            var locationId = body.RequiredString("locationId");
            var conversationId = body.RequiredString("conversationId");
            var fileName = body.RequiredString("filename");
            var contentType = body.RequiredString("contentType");
            var channel = body.RequiredString("channel");
            var size = body.OptionalNumber("fileSize");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            var caller = ApiCaller.Of(context);
            if (locationId != caller.LocationId) return ApiErrors.Forbidden();
            var conversation = data.GetConversation(conversationId!);
            if (conversation is null) return ApiErrors.ConversationNotFound();
            if (conversation.LocationId != caller.LocationId) return ApiErrors.Forbidden();
            if (!AllowedExtensions.Contains(Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase))
                return ApiErrors.BadRequest($"File type of {fileName} is not allowed");
            var max = channel == "WHATSAPP" ? WhatsAppLimit : DirectLimit;
            if (size is double s && s > max) return ApiErrors.Create(413, $"File size exceeds maximum allowed limit of {max} bytes for channel {channel}", "Payload Too Large");

            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var uploadId = Guid.NewGuid().ToString();
            var pending = new PendingUpload
            {
                UploadId = uploadId, Token = token, LocationId = caller.LocationId, ConversationId = conversation.Id, FileName = fileName!,
                ContentType = contentType!, MaxFileSize = max, ExpiresAt = state.Clock.GetUtcNow() + SignedUrlLifetime,
                FilePath = $"location/{caller.LocationId}/conversations/{conversation.Id}/{uploadId}{Path.GetExtension(fileName)}",
            };
            store.Pending[uploadId] = pending;
            var request = context.Request;
            return ApiJson.Ok(new
            {
                uploadUrl = $"{request.Scheme}://{request.Host}{ControlRoutes.Prefix}/storage/{token}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature={token}",
                uploadId,
                filePath = pending.FilePath,
                expiresAt = pending.ExpiresAt.ToUnixTimeMilliseconds(),
                maxFileSize = max,
            });
        });

        // The signed URL: the storage host, not the API (no bearer token checked, none expected).
        app.MapPut(ControlRoutes.Prefix + "/storage/{token}", async (HttpContext context, string token) =>
        {
            var pending = store.Pending.Values.FirstOrDefault(p => p.Token == token);
            if (pending is null || state.Clock.GetUtcNow() > pending.ExpiresAt || context.Request.Query["X-Goog-Signature"] != token)
                return Results.Text("<Error><Code>SignatureDoesNotMatch</Code></Error>", "application/xml", statusCode: 403);
            var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = WhatsAppLimit + 1024 * 1024;
            var contentType = context.Request.ContentType ?? "";
            if (!string.Equals(contentType, pending.ContentType, StringComparison.OrdinalIgnoreCase))
                return Results.Text("<Error><Code>SignatureDoesNotMatch</Code><Message>Content-Type differs from the signed one</Message></Error>", "application/xml", statusCode: 403);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                size += read;
                if (size > pending.MaxFileSize)
                    return Results.Text("<Error><Code>EntityTooLarge</Code></Error>", "application/xml", statusCode: 400);
                sha.AppendData(buffer, 0, read);
            }
            var url = FileUrl(context.Request, pending.LocationId, pending.ConversationId, pending.FileName);
            pending.Stored = new ReceivedFile(store.Next(), "signed", pending.FileName, contentType, size,
                Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant(), url, new Dictionary<string, string[]>(),
                context.Request.Headers.ContainsKey("Authorization"));
            return Results.Ok();
        });

        app.MapPost("/conversations/messages/upload/complete", async (HttpContext context) =>
        {
            var (body, error) = await JsonBody.ReadAsync(context.Request);
            if (body is null) return error!;
            body.RejectUnknown(CompleteMembers);
            var uploadId = body.RequiredString("uploadId");
            var filePath = body.RequiredString("filePath");
            var locationId = body.RequiredString("locationId");
            var conversationId = body.RequiredString("conversationId");
            var fileName = body.RequiredString("filename");
            if (body.Errors.Count > 0) return ApiErrors.Unprocessable(body.Errors);
            var caller = ApiCaller.Of(context);
            if (locationId != caller.LocationId) return ApiErrors.Forbidden();
            if (!store.Pending.TryGetValue(uploadId!, out var pending) || pending.FilePath != filePath || pending.ConversationId != conversationId
                || pending.LocationId != caller.LocationId || pending.Stored is null)
                return ApiErrors.NotFound("File not found in storage - upload may have failed or URL expired");
            store.Pending.TryRemove(uploadId!, out _);
            store.Received.Enqueue(pending.Stored);
            return ApiJson.Ok(new
            {
                uploadedFiles = new Dictionary<string, string> { [fileName!] = pending.Stored.Url },
                metadata = new { size = pending.Stored.Size, contentType = pending.Stored.ContentType },
            });
        });

        app.MapGet(ControlRoutes.Prefix + "/uploads", () => ApiJson.Control(new { uploads = store.Received.OrderBy(r => r.Sequence).ToArray() }));
        app.MapDelete(ControlRoutes.Prefix + "/uploads", () =>
        {
            store.Clear();
            return ApiJson.Control(new { cleared = true });
        });
    }

    private static string FileUrl(HttpRequest request, string locationId, string conversationId, string fileName) =>
        $"{request.Scheme}://{request.Host}/conversations-assets/location/{locationId}/conversations/{conversationId}/{Uri.EscapeDataString(fileName)}";

    /// <summary>The upload endpoint's own error body (UploadFilesErrorResponseDto): { status, message }.</summary>
    private static IResult Error(int status, string message) => ApiJson.Ok(new { status, message }, status);
}
