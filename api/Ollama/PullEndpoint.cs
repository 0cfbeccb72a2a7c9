using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Api.Ollama;

/// <summary><c>POST /api/pull</c>: NDJSON status lines (per-layer bytes) ending with <c>success</c>, or just that with <c>stream: false</c>.</summary>
internal static class PullEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var reference = body.String("model") ?? body.RequiredString("name");
        await using var events = backend.PullAsync(reference, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        var more = await events.MoveNextAsync().ConfigureAwait(false);
        var stream = OllamaRequestReader.Streams(body) ? await EventStream.StartNdjsonAsync(context).ConfigureAwait(false) : null;
        for (; more; more = await events.MoveNextAsync().ConfigureAwait(false))
        {
            var status = Status(events.Current);
            if (stream is not null)
            {
                await stream.LineAsync(JsonSerializer.Serialize(status, OllamaJsonContext.Default.PullStatus)).ConfigureAwait(false);
            }
            else if (events.Current.Kind == TransferEventKind.Success)
            {
                await Results.Json(status, OllamaJsonContext.Default.PullStatus).ExecuteAsync(context).ConfigureAwait(false);
            }
        }
    }

    private static PullStatus Status(TransferEvent transfer) => transfer switch
    {
        { Kind: TransferEventKind.Success } => new PullStatus("success"),
        { Layer: { } layer } => new PullStatus($"pulling {layer.Digest.Replace("sha256:", "", StringComparison.Ordinal)[..12]}", layer.Digest, layer.Size, layer.Current),
        _ => new PullStatus(transfer.Message),
    };
}
