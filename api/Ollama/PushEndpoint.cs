using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// <c>POST /api/push</c>: pushes a local model to the registry its name says, with Ollama's status lines
/// (<c>retrieving manifest</c>, <c>starting upload</c> and <c>pushing …</c> per layer, <c>pushing manifest</c>,
/// <c>success</c>), or just <c>success</c> with <c>stream: false</c>. Plain HTTP follows <c>INSECURE_REGISTRY</c> (and
/// is always used for loopback registries), so <c>insecure</c> changes nothing here.
/// </summary>
internal static class PushEndpoint
{
    public static async Task HandleAsync(HttpContext context, IModelDistribution distribution)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var name = body.String("model") ?? body.String("name") ?? throw ApiException.Invalid("'model' is required", "model");
        _ = body.Bool("insecure");
        _ = distribution.Store.Find(name) ?? throw ApiException.NotFound($"model '{name}' not found", "model");
        await using var events = distribution.PushAsync(name, cancellationToken: context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        if (!OllamaRequestReader.Streams(body))
        {
            while (await events.MoveNextAsync().ConfigureAwait(false))
            {
            }

            await Results.Json(new PullStatus("success"), OllamaJsonContext.Default.PullStatus).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var stream = await EventStream.StartNdjsonAsync(context).ConfigureAwait(false);
        Task Write(PullStatus status) => stream.LineAsync(JsonSerializer.Serialize(status, OllamaJsonContext.Default.PullStatus));
        await Write(new PullStatus("retrieving manifest")).ConfigureAwait(false);
        var started = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await events.MoveNextAsync().ConfigureAwait(false))
            {
                var transfer = events.Current;
                if (transfer.Layer is { } layer)
                {
                    if (started.Add(layer.Digest))
                    {
                        await Write(new PullStatus("starting upload", layer.Digest, layer.Size)).ConfigureAwait(false);
                    }

                    await Write(new PullStatus($"pushing {layer.Digest.Replace("sha256:", "", StringComparison.Ordinal)[..12]}", layer.Digest, layer.Size, layer.Current)).ConfigureAwait(false);
                }
                else
                {
                    await Write(new PullStatus(transfer.Kind switch
                    {
                        TransferEventKind.Success => "success",
                        _ when transfer.Message.StartsWith("Writing manifest", StringComparison.Ordinal) => "pushing manifest",
                        _ => transfer.Message,
                    })).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // The status is sent: Ollama's clients read a failure from an error line.
            await stream.LineAsync(JsonSerializer.Serialize(new PullError(ApiErrors.From(exception).Message), OllamaJsonContext.Default.PullError)).ConfigureAwait(false);
        }
    }
}
