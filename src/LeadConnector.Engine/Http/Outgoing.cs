using System.Net.Http;

namespace LeadConnector.Engine
{
    /// <summary>One request as <see cref="LcClient"/>'s attempts send it, built and checked once.</summary>
    internal sealed class Outgoing
    {
        public Outgoing(HttpMethod method, string resource, RequestBody? body, string shownPath, bool forTokenEndpoint = false, string? bearer = null)
        {
            Method = method;
            Resource = resource;
            Body = body;
            ShownPath = shownPath;
            ForTokenEndpoint = forTokenEndpoint;
            Bearer = bearer;
        }

        public HttpMethod Method { get; }
        /// <summary>The path and query, relative to the base URI.</summary>
        public string Resource { get; }
        public RequestBody? Body { get; }
        /// <summary>The path as errors and traces show it (escaped, no query).</summary>
        public string ShownPath { get; }
        /// <summary>A token-endpoint call: not paced, not traced, not renewed, its answer never quoted.</summary>
        public bool ForTokenEndpoint { get; }
        /// <summary>A token-endpoint call's Authorization (the agency token), or null for none; API calls ask the token provider.</summary>
        public string? Bearer { get; }
    }
}
