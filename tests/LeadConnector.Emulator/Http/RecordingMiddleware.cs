using System.Text;
using LeadConnector.Emulator.Routes;

namespace LeadConnector.Emulator.Http;

/// <summary>
/// Records every API request (not /_emulator control calls) in the <see cref="RequestLog"/> on arrival. The status
/// code is taken when the response actually starts, so it is set before the client can see the response.
/// </summary>
internal sealed class RecordingMiddleware(RequestDelegate next, EmulatorState state, ILogger<RecordingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ControlRoutes.IsControlPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        request.Body.Position = 0;

        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value.ToArray()), StringComparer.OrdinalIgnoreCase);
        var record = state.Requests.Add(DateTimeOffset.UtcNow, request.Method, request.Path.Value ?? "",
            request.QueryString.Value ?? "", headers, body);
        context.Features.Set(record);
        context.Response.OnStarting(() =>
        {
            // Kestrel still runs OnStarting at the end of an aborted request, but nothing reaches the client then.
            if (!context.RequestAborted.IsCancellationRequested) record.ResponseStarted(context.Response.StatusCode);
            return Task.CompletedTask;
        });

        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("{Request}", record.ToString());
        }
    }
}
