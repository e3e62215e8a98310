using System.Text;
using Microsoft.AspNetCore.Http.Features;
using LeadConnector.Emulator.Routes;

namespace LeadConnector.Emulator.Http;

/// <summary>Applies the <see cref="FaultPlan"/>: at most one rule per request, before or after the application runs.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, EmulatorState state, IHostApplicationLifetime lifetime)
{
    /// <summary>Body cut in half when a TruncatedBody fault fires before a non-GET request is processed.</summary>
    private const string PlaceholderBody =
        "{\"success\":true,\"message\":\"This body was cut short by the emulator's TruncatedBody fault.\"}";

    public async Task InvokeAsync(HttpContext context)
    {
        var rule = ControlRoutes.IsControlPath(context.Request.Path)
            ? null
            : state.Faults.Select(context.Request.Method, context.Request.Path.Value ?? "");
        if (rule is null)
        {
            await next(context);
            return;
        }

        context.Features.Get<RecordedRequest>()?.Fault = rule.Name;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            if (rule.Stage == FaultStage.BeforeProcessing) await BeforeAsync(context, rule, cancel.Token);
            else await AfterAsync(context, rule, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Drop(context); // the client went away (or the emulator is stopping) during a delay
        }
    }

    private async Task BeforeAsync(HttpContext context, FaultRule rule, CancellationToken ct)
    {
        if (rule.Kind == FaultKind.Delay)
        {
            await Task.Delay(rule.DelayMs, ct);
            await next(context);
            return;
        }

        byte[]? realBody = null;
        if (rule is { Kind: FaultKind.TruncatedBody, Body: null })
        {
            // A GET has no side effects, so its real body can be produced; other methods must stay unprocessed.
            realBody = HttpMethods.IsGet(context.Request.Method) ? await CaptureAsync(context) : Encoding.UTF8.GetBytes(PlaceholderBody);
            context.Response.Clear();
        }
        await RespondAsync(context, rule, realBody, ct);
    }

    private async Task AfterAsync(HttpContext context, FaultRule rule, CancellationToken ct)
    {
        var realBody = await CaptureAsync(context);
        if (rule.Kind == FaultKind.Delay)
        {
            await Task.Delay(rule.DelayMs, ct);
            await context.Response.Body.WriteAsync(realBody, ct); // status and headers are already set
            return;
        }
        context.Response.Clear();
        await RespondAsync(context, rule, realBody, ct);
    }

    /// <summary>Runs the rest of the pipeline into a buffer and returns the body; status and headers stay on the response.</summary>
    private async Task<byte[]> CaptureAsync(HttpContext context)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await next(context);
            await capture.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
        return buffer.ToArray();
    }

    private async Task RespondAsync(HttpContext context, FaultRule rule, byte[]? realBody, CancellationToken ct)
    {
        var response = context.Response;
        switch (rule.Kind)
        {
            case FaultKind.DropConnection:
                Drop(context);
                return;

            case FaultKind.RateLimited:
                var decision = state.Limiter.Peek(ApiCaller.FromRequest(context.Request));
                await RateLimiter.WriteTooManyRequestsAsync(context, decision, rule.Headers);
                return;

            case FaultKind.Status:
                await WriteAsync(response, rule, rule.StatusCode == 0 ? 500 : rule.StatusCode, rule.Body, ct);
                return;

            case FaultKind.Garbage:
                await WriteAsync(response, rule, 200, rule.Body ?? "", ct);
                return;

            case FaultKind.TruncatedBody:
                var full = rule.Body is not null ? Encoding.UTF8.GetBytes(rule.Body) : realBody ?? [];
                if (full.Length < 2) full = Encoding.UTF8.GetBytes(PlaceholderBody);
                response.StatusCode = 200;
                response.ContentType = ApiJson.ContentType;
                response.ContentLength = full.Length; // promises the whole body...
                ApplyHeaders(response, rule);
                await response.Body.WriteAsync(full.AsMemory(0, full.Length / 2), ct); // ...sends half
                await response.Body.FlushAsync(ct);
                await Task.Delay(50, CancellationToken.None); // let the partial body reach the client first
                Drop(context);
                return;

            default:
                throw new InvalidOperationException($"Fault kind {rule.Kind} is not a response.");
        }
    }

    private static async Task WriteAsync(HttpResponse response, FaultRule rule, int statusCode, string? body, CancellationToken ct)
    {
        response.StatusCode = statusCode;
        byte[] bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null) response.ContentType = rule.ContentType ?? ApiJson.ContentType;
        response.ContentLength = bytes.Length;
        ApplyHeaders(response, rule);
        if (bytes.Length > 0) await response.Body.WriteAsync(bytes, ct);
    }

    private static void Drop(HttpContext context)
    {
        context.Features.Get<RecordedRequest>()?.MarkDropped();
        context.Abort();
    }

    private static void ApplyHeaders(HttpResponse response, FaultRule rule)
    {
        if (rule.Headers is null) return;
        foreach (var (name, value) in rule.Headers) response.Headers[name] = value;
    }
}
