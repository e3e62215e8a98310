namespace LeadConnector
{
    /// <summary>A call recording saved to a file (Save-LcMessageRecording).</summary>
    public sealed class MessageRecording
    {
        public string? MessageId { get; set; }
        public string? LocationId { get; set; }
        /// <summary>The bytes written.</summary>
        public long Length { get; set; }
        /// <summary>The answer's media type (audio/x-wav, ...).</summary>
        public string? ContentType { get; set; }
        /// <summary>The full path of the file written.</summary>
        public string? Path { get; set; }

        public override string ToString() => Path ?? "";
    }
}
