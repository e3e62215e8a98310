using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A request's body: its text and content type (JSON for the API, a form for the token endpoints), or a
    /// multipart/form-data body of fields and files (<see cref="Multipart"/>), which RestSharp writes and which streams
    /// each file from its source on every attempt (nothing is held in memory).
    /// </summary>
    internal sealed class RequestBody
    {
        public RequestBody(string text, string contentType)
        {
            Text = text;
            ContentType = contentType;
        }

        private RequestBody(IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyList<FilePart> files)
        {
            Fields = fields;
            Files = files;
            ContentType = "multipart/form-data";
            // What the trace shows: the fields and the files' names and sizes, never their bytes.
            Text = "multipart/form-data: " + string.Join(", ",
                fields.Select(f => f.Key + "=" + f.Value).Concat(files.Select(f => $"{f.Name}={f.FileName} ({f.Length} bytes, {f.ContentType})")));
        }

        /// <summary>A multipart/form-data body: the fields in order (a name may repeat), then the files.</summary>
        public static RequestBody Multipart(IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<FilePart> files)
        {
            var fileList = files.ToList();
            if (fileList.Count == 0) throw new ArgumentException("A multipart body needs at least one file.", nameof(files));
            return new RequestBody(fields.ToList(), fileList);
        }

        /// <summary>The text (JSON, a form), or for a multipart body a description of it for the trace.</summary>
        public string Text { get; }
        /// <summary>The content type; "multipart/form-data" for a multipart body (the transport adds the boundary).</summary>
        public string ContentType { get; }

        /// <summary>The form fields of a multipart body; null for a text body.</summary>
        public IReadOnlyList<KeyValuePair<string, string>>? Fields { get; }
        /// <summary>The files of a multipart body; null for a text body.</summary>
        public IReadOnlyList<FilePart>? Files { get; }
        public bool IsMultipart => Files != null;
    }

    /// <summary>One file of a multipart body: its part name, file name, content type, length, and how to open it.</summary>
    internal sealed class FilePart
    {
        public FilePart(string name, string fileName, string contentType, long length, Func<Stream> open)
        {
            Name = name;
            FileName = fileName;
            ContentType = contentType;
            Length = length;
            Open = open;
        }

        public string Name { get; }
        public string FileName { get; }
        public string ContentType { get; }
        public long Length { get; }
        /// <summary>Opens the content anew: called once per attempt, and the transport disposes what it returns.</summary>
        public Func<Stream> Open { get; }
    }
}
