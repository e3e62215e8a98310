using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EmulatorTests
{
    /// <summary>Plain HttpClient access to the shared emulator (no module code). Each test starts from a reset.</summary>
    [Collection("Emulator")]
    public abstract class EmulatorHttp : IDisposable
    {
        protected readonly EmulatorFixture Emu;
        protected readonly HttpClient Http;

        protected EmulatorHttp(EmulatorFixture emu)
        {
            Emu = emu;
            Emu.Reset();
            Http = new HttpClient { BaseAddress = emu.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
        }

        public void Dispose() => Http.Dispose();

        protected EmulatorState State => Emu.State;

        protected async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(
            HttpMethod method, string path, string? token = Seed.AlphaToken, object? json = null, string? version = "2021-07-28",
            HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (version is not null) request.Headers.TryAddWithoutValidation("Version", version);
            if (json is not null) request.Content = new StringContent(json as string ?? JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
            if (content is not null) request.Content = content;
            configure?.Invoke(request);
            var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return (response.StatusCode, body, response);
        }

        protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Get(string path, string? token = Seed.AlphaToken,
            string? version = "2021-07-28") => Send(HttpMethod.Get, path, token, version: version);

        protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(string path, object json, string? token = Seed.AlphaToken) =>
            Send(HttpMethod.Post, path, token, json);

        protected Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Control(HttpMethod method, string path, object? json = null) =>
            Send(method, "/_emulator" + path, token: null, json: json ?? (method == HttpMethod.Get || method == HttpMethod.Delete ? null : new { }), version: null);

        protected static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

        protected static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
            new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
    }
}
