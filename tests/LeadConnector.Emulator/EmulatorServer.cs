using System.Net;
using LeadConnector.Emulator.Http;
using LeadConnector.Emulator.Routes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace LeadConnector.Emulator;

/// <summary>Options for <see cref="EmulatorServer.StartAsync"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Loopback URL to bind, e.g. http://127.0.0.1:5080. Default: http://127.0.0.1:0 (a free port).</summary>
    public string? Url { get; set; }

    /// <summary>No console logging (default). When false, one line per request is logged to the console.</summary>
    public bool Quiet { get; set; } = true;
}

/// <summary>A running emulator on real Kestrel, bound to a loopback address only.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, Uri baseUri, EmulatorState state)
    {
        _app = app;
        BaseUri = baseUri;
        State = state;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:54321 (no trailing path).</summary>
    public Uri BaseUri { get; }

    public EmulatorState State { get; }

    /// <summary>Starts an emulator; binds http://127.0.0.1:0 unless <see cref="EmulatorOptions.Url"/> is given.</summary>
    /// <exception cref="ArgumentException">The URL is not an http URL on a loopback address.</exception>
    public static Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default) =>
        StartAsync(options ?? new EmulatorOptions(), standalone: false, ct);

    /// <param name="standalone">True for the console program: Ctrl+C / SIGTERM stop the host.</param>
    internal static async Task<EmulatorServer> StartAsync(EmulatorOptions options, bool standalone, CancellationToken ct)
    {
        var endpoint = ParseLoopback(options.Url ?? "http://127.0.0.1:0");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        if (!standalone) builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();

        builder.Logging.ClearProviders();
        if (!options.Quiet)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start failures are reported by the caller
        }

        var state = new EmulatorState();
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.UseMiddleware<RecordingMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<ApiGate>();
        ControlRoutes.Map(app, state);
        ConversationRoutes.Map(app, state);
        MessageRoutes.Map(app, state);
        SendRoutes.Map(app, state);
        UploadRoutes.Map(app, state);
        MessageActionRoutes.Map(app, state);
        ContactRoutes.Map(app, state);
        ContactNoteRoutes.Map(app, state);
        ContactTagRoutes.Map(app, state);
        OAuthRoutes.Map(app, state);
        PreferenceRoutes.Map(app, state);
        ReplyRoutes.Map(app, state);
        app.MapFallback("{*path}", (HttpContext context) =>
            ApiErrors.Create(404, $"Cannot {context.Request.Method} {context.Request.Path}", "Not Found"));

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EmulatorServer(app, new Uri(address), state);
    }

    /// <summary>Completes when the host stops (Ctrl+C / SIGTERM for the console program).</summary>
    internal Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The endpoint for an http URL on 127.0.0.1, [::1] or localhost (bound as 127.0.0.1); anything else throws.</summary>
    internal static IPEndPoint ParseLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"'{url}' is not an http:// URL.", nameof(url));
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
            throw new ArgumentException($"'{url}' must not have a path or query.", nameof(url));
        IPAddress? address = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback : null;
        if (address is null && (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address) || !IPAddress.IsLoopback(address)))
            throw new ArgumentException($"'{url}' is not a loopback address; the emulator only binds 127.0.0.1, [::1] or localhost.", nameof(url));
        return new IPEndPoint(address, uri.Port);
    }

    /// <summary>Host lifetime for in-process use: no console or signal handling in the test process.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
