namespace LeadConnector.Engine
{
    /// <summary>A request's body: its text and content type (JSON for the API, a form for the token endpoints).</summary>
    internal sealed class RequestBody
    {
        public RequestBody(string text, string contentType)
        {
            Text = text;
            ContentType = contentType;
        }

        public string Text { get; }
        public string ContentType { get; }
    }
}
