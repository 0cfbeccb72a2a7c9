using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ModelRunner.Api.Streaming;

/// <summary>
/// Writes a streamed answer: server-sent events (OpenAI, Anthropic) or newline-delimited JSON
/// (Ollama, DMR progress). Each write is flushed, so a client sees every token as it is made;
/// response buffering is off for the same reason.
/// </summary>
public sealed class EventStream
{
    private readonly HttpResponse _response;
    private readonly CancellationToken _cancellationToken;

    private EventStream(HttpResponse response, CancellationToken cancellationToken)
    {
        _response = response;
        _cancellationToken = cancellationToken;
    }

    public static async Task<EventStream> StartAsync(HttpContext context, string contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        return new EventStream(response, context.RequestAborted);
    }

    public static Task<EventStream> StartSseAsync(HttpContext context) => StartAsync(context, "text/event-stream");

    public static Task<EventStream> StartNdjsonAsync(HttpContext context) => StartAsync(context, "application/x-ndjson");

    /// <summary>An SSE <c>data:</c> event, optionally named.</summary>
    public Task DataAsync(string data, string? eventName = null) =>
        WriteAsync(eventName is null ? $"data: {data}\n\n" : $"event: {eventName}\ndata: {data}\n\n");

    /// <summary>One line of NDJSON.</summary>
    public Task LineAsync(string json) => WriteAsync(json + "\n");

    private async Task WriteAsync(string text)
    {
        await _response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), _cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(_cancellationToken).ConfigureAwait(false);
    }
}
