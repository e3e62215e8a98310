using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>A recorded request as the client sent it.</summary>
    internal sealed record SentRequest(string Method, Uri Uri, Dictionary<string, string> Headers, string? Body);

    /// <summary>Answers requests from a script, with no network, and records what was sent.</summary>
    internal sealed class FakeHandler : HttpMessageHandler
    {
        private readonly Func<SentRequest, int, HttpResponseMessage> _respond;
        private int _count;

        public FakeHandler(Func<SentRequest, int, HttpResponseMessage> respond) => _respond = respond;

        public List<SentRequest> Requests { get; } = new List<SentRequest>();

        public static HttpResponseMessage Json(int status, string json, params (string, string)[] headers)
        {
            var r = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            foreach (var (k, v) in headers) r.Headers.TryAddWithoutValidation(k, v);
            return r;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in request.Headers) headers[h.Key] = string.Join(",", h.Value);
            string? body = null;
            if (request.Content != null)
            {
                body = await request.Content.ReadAsStringAsync(cancellationToken);
                foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
            }
            var sent = new SentRequest(request.Method.Method, request.RequestUri!, headers, body);
            int n;
            lock (Requests) { Requests.Add(sent); n = _count++; }
            return _respond(sent, n);
        }
    }

    internal static class TestConnections
    {
        public const string Token = "pit-test-0000-secret-token-value";

        /// <summary>A connection whose network is the given handler; fast retries so tests stay quick.</summary>
        public static Connection Fake(FakeHandler handler, int maxRetries = 3, string? location = "loc-alpha", int timeoutSec = 100, bool pacing = false, string token = Token,
            RateGates? gates = null) =>
            Connection.Create(new ConnectionOptions
            {
                AccessToken = token,
                LocationId = location,
                BaseUri = new Uri("https://api.example.test"),
                MaxRetries = maxRetries,
                TimeoutSec = timeoutSec,
                RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            }, new EngineServices(handler: handler, pacing: pacing, gates: gates));
    }
}
