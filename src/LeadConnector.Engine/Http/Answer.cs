using System.Net.Http;
using System.Net.Http.Headers;

namespace LeadConnector.Engine
{
    /// <summary>What one attempt got back: the response (headers only; its content is already read) and the whole body.</summary>
    internal sealed class Answer
    {
        public Answer(HttpResponseMessage response, byte[] body)
        {
            Response = response;
            Body = body;
        }

        public HttpResponseMessage Response { get; }
        public byte[] Body { get; }
        public int Status => (int)Response.StatusCode;
        public string? Reason => Response.ReasonPhrase;
        public HttpResponseHeaders Headers => Response.Headers;
        public bool IsSuccess => Status >= 200 && Status < 300;
    }
}
