using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>The shape of a multipart/form-data request body (POST /conversations/messages/upload) as the transport sends it.</summary>
    public class MultipartBodyTests
    {
        private static readonly Uri Base = new Uri("https://api.example.test/v2/");

        private static RequestBody Upload(Func<Stream> open, long length, params (string, string)[] fields)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var (k, v) in fields) pairs.Add(new KeyValuePair<string, string>(k, v));
            return RequestBody.Multipart(pairs, new[] { new FilePart("fileAttachment", "quote 1.pdf", "application/pdf", length, open) });
        }

        [Fact]
        public async Task A_multipart_body_has_a_boundary_the_fields_in_order_and_the_file_part_with_its_name_type_and_bytes()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, "{\"uploadedFiles\":{}}"));
            var transport = new RestTransport(Base, h);
            var bytes = Encoding.ASCII.GetBytes("%PDF-1.4 fake");
            var body = Upload(() => new MemoryStream(bytes), bytes.Length,
                ("conversationId", "conv-1"), ("contactId", "contact-1"), ("locationId", "loc-1"), ("attachmentUrls", "https://x.example/a.png"), ("attachmentUrls", "https://x.example/b.png"));

            await transport.SendAsync(HttpMethod.Post, "conversations/messages/upload", body, "Bearer t", "2021-04-15", "/v2/conversations/messages/upload", CancellationToken.None);

            var sent = Assert.Single(h.Requests);
            Assert.Equal("POST", sent.Method);
            Assert.Equal("Bearer t", sent.Headers["Authorization"]);
            var contentType = sent.Headers["Content-Type"];
            var boundary = Regex.Match(contentType, "^multipart/form-data; boundary=\"?([^\";]+)\"?").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(boundary), contentType);
            var parts = sent.Body!.Split(new[] { "--" + boundary }, StringSplitOptions.None);
            // preamble, the file (RestSharp writes files first), the five fields in order, and the closing "--"
            Assert.Equal(8, parts.Length);
            Assert.StartsWith("--", parts[7]);
            string[] names = { "conversationId", "contactId", "locationId", "attachmentUrls", "attachmentUrls" };
            string[] values = { "conv-1", "contact-1", "loc-1", "https://x.example/a.png", "https://x.example/b.png" };
            for (int i = 0; i < 5; i++)
            {
                Assert.Matches($"Content-Disposition: form-data; name=\"?{names[i]}\"?\r\n", parts[i + 2]);
                Assert.EndsWith("\r\n\r\n" + values[i] + "\r\n", parts[i + 2]);
            }
            var file = parts[1];
            Assert.Matches("Content-Disposition: form-data; name=\"?fileAttachment\"?; filename=\"?quote 1.pdf\"?", file);
            Assert.Contains("Content-Type: application/pdf\r\n", file);
            Assert.EndsWith("\r\n\r\n%PDF-1.4 fake\r\n", file);
        }

        [Fact]
        public async Task The_file_is_opened_anew_for_every_attempt_and_disposed_after_it()
        {
            var h = new FakeHandler((_, _) => FakeHandler.Json(200, "{}"));
            var transport = new RestTransport(Base, h);
            var opened = new List<TrackedStream>();
            var body = Upload(() => { var s = new TrackedStream(new byte[] { 1, 2, 3 }); opened.Add(s); return s; }, 3, ("conversationId", "c"));

            await transport.SendAsync(HttpMethod.Post, "conversations/messages/upload", body, null, "v", "/v2/u", CancellationToken.None);
            await transport.SendAsync(HttpMethod.Post, "conversations/messages/upload", body, null, "v", "/v2/u", CancellationToken.None);

            Assert.Equal(2, opened.Count);
            Assert.All(opened, s => Assert.True(s.Disposed));
            Assert.Equal(2, h.Requests.Count);
            Assert.Equal(h.Requests[0].Body!.Length, h.Requests[1].Body!.Length);
        }

        [Fact]
        public void The_trace_text_of_a_multipart_body_names_the_fields_and_files_but_holds_no_file_bytes()
        {
            var body = Upload(() => new MemoryStream(Encoding.ASCII.GetBytes("SECRET-BYTES")), 12, ("conversationId", "conv-1"));

            Assert.True(body.IsMultipart);
            Assert.Equal("multipart/form-data", body.ContentType);
            Assert.Contains("conversationId=conv-1", body.Text);
            Assert.Contains("fileAttachment=quote 1.pdf (12 bytes, application/pdf)", body.Text);
            Assert.DoesNotContain("SECRET", body.Text);
            Assert.Throws<ArgumentException>(() => RequestBody.Multipart(new List<KeyValuePair<string, string>>(), new FilePart[0]));
        }

        [Fact]
        public void Local_files_are_checked_before_anything_is_sent()
        {
            var dir = Path.Combine(Path.GetTempPath(), "lc-upload-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var small = Path.Combine(dir, "a.PDF");
                File.WriteAllBytes(small, new byte[10]);
                var big = Path.Combine(dir, "b.mp4");
                using (var f = File.Create(big)) f.SetLength(UploadOperations.DirectLimit + 1);
                var exe = Path.Combine(dir, "c.exe");
                File.WriteAllBytes(exe, new byte[1]);

                var ok = UploadOperations.CheckFiles(new[] { small }, "SMS");
                Assert.Equal("application/pdf", ok[0].ContentType);
                Assert.False(ok[0].Signed);
                var signed = UploadOperations.CheckFiles(new[] { big }, "WhatsApp");
                Assert.True(signed[0].Signed);

                Assert.Contains("up to 5 MB", Assert.Throws<LcException>(() => UploadOperations.CheckFiles(new[] { big }, "SMS")).Message);
                Assert.Contains("does not take", Assert.Throws<LcException>(() => UploadOperations.CheckFiles(new[] { exe }, "SMS")).Message);
                Assert.Contains("does not exist", Assert.Throws<LcException>(() => UploadOperations.CheckFiles(new[] { Path.Combine(dir, "none.pdf") }, "SMS")).Message);
                Assert.Contains("folder", Assert.Throws<LcException>(() => UploadOperations.CheckFiles(new[] { dir }, "SMS")).Message);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        private sealed class TrackedStream : MemoryStream
        {
            public TrackedStream(byte[] bytes) : base(bytes) { }
            public bool Disposed { get; private set; }
            protected override void Dispose(bool disposing)
            {
                Disposed = true;
                base.Dispose(disposing);
            }
        }
    }
}
