using System.Text;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Streaming;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// Runs a generation the Ollama way: one NDJSON line per piece of text and a last <c>done</c>
/// line, or (<c>stream: false</c>) just that last line holding the whole text.
/// </summary>
internal static class OllamaGeneration
{
    /// <param name="piece">A streamed line from new answer text and new thinking.</param>
    /// <param name="done">The last line from the result, the answer's text and the thinking (empty when streamed already).</param>
    public static async Task RunAsync(HttpContext context, IModelBackend backend, BackendRequest request, bool stream, Func<string, string, string> piece, Func<BackendResult, string, string, string> done)
    {
        // The first update comes before any byte is written: a missing model is still a 404.
        await using var updates = backend.GenerateAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        var more = await updates.MoveNextAsync().ConfigureAwait(false);
        var events = stream ? await EventStream.StartNdjsonAsync(context).ConfigureAwait(false) : null;
        var whole = new StringBuilder();
        for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
        {
            var update = updates.Current;
            if (update.Result is { } result)
            {
                // With tools the backend sends the answer whole, on its last update.
                var last = request.Tools.Count > 0 ? result.Content : update.Text;
                if (events is null)
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(done(result, request.Tools.Count > 0 ? result.Content : whole.Append(last).ToString(), result.Reasoning), context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                if (last.Length > 0 || update.Reasoning.Length > 0)
                {
                    await events.LineAsync(piece(last, update.Reasoning)).ConfigureAwait(false);
                }

                await events.LineAsync(done(result, "", "")).ConfigureAwait(false);
                return;
            }

            if (events is null)
            {
                whole.Append(update.Text);
            }
            else if (update.Text.Length > 0 || update.Reasoning.Length > 0)
            {
                await events.LineAsync(piece(update.Text, update.Reasoning)).ConfigureAwait(false);
            }
        }
    }
}
