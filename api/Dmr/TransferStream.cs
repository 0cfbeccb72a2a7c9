using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Streaming;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Api.Dmr;

/// <summary>
/// Streams a pull or push as DMR's JSON lines. An error before the first event is an ordinary
/// error response; one after it is an <c>error</c> line, since the status is already sent.
/// </summary>
internal static class TransferStream
{
    public static async Task WriteAsync(HttpContext context, IAsyncEnumerable<TransferEvent> transfer)
    {
        await using var events = transfer.GetAsyncEnumerator(context.RequestAborted);
        var more = await events.MoveNextAsync().ConfigureAwait(false);
        var lines = await EventStream.StartNdjsonAsync(context).ConfigureAwait(false);
        try
        {
            for (; more; more = await events.MoveNextAsync().ConfigureAwait(false))
            {
                await lines.LineAsync(JsonSerializer.Serialize(DmrModels.Progress(events.Current), DmrJsonContext.Default.ProgressLine)).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await lines.LineAsync(JsonSerializer.Serialize(new ProgressLine("error", ApiErrors.From(exception).Message), DmrJsonContext.Default.ProgressLine)).ConfigureAwait(false);
        }
    }
}
