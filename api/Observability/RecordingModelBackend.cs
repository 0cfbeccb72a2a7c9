using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Observability;

/// <summary>
/// Records every generation for <c>/engines/requests</c> and <c>/metrics</c>: the request, the
/// answer, tokens, time to first token and speed, or the error. Everything else passes through.
/// </summary>
internal sealed class RecordingModelBackend(IModelBackend inner, RequestLog log, ServerMetrics metrics) : IModelBackend
{
    private const int MaxRecordedChars = 16 * 1024;

    public LocalModel Resolve(string model) => inner.Resolve(model);

    public async IAsyncEnumerable<BackendUpdate> GenerateAsync(BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var timestamp = DateTimeOffset.UtcNow;
        TimeSpan? firstToken = null;
        var answer = new StringBuilder();
        BackendResult? result = null;
        string? error = null;
        var status = 200;
        await using var updates = inner.GenerateAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception exception)
                {
                    var classified = exception is OperationCanceledException && cancellationToken.IsCancellationRequested ? new ApiError(499, ApiErrorKind.InvalidRequest, "the client went away") : ApiErrors.From(exception);
                    (error, status) = (classified.Message, classified.Status);
                    throw;
                }

                var update = updates.Current;
                firstToken ??= Stopwatch.GetElapsedTime(started);
                result = update.Result ?? result;
                if (answer.Length < MaxRecordedChars)
                {
                    answer.Append(update.Result is { } final && request.Tools.Count > 0 ? final.Content : update.Text);
                }

                yield return update;
            }
        }
        finally
        {
            var generation = result?.Generation;
            var record = new RequestRecord(
                Guid.NewGuid().ToString("N"),
                request.Model,
                request.Origin.Method,
                request.Origin.Path,
                Truncate(request.Origin.Body),
                Truncate(answer.ToString()),
                error,
                timestamp,
                status,
                new RequestTokens(generation?.PromptTokens ?? 0, generation?.CachedPromptTokens ?? 0, generation?.CompletionTokens ?? 0),
                new RequestTimings((firstToken ?? TimeSpan.Zero).TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds, generation?.TokensPerSecond ?? 0));
            log.Add(record);
            if (generation is not null)
            {
                metrics.RecordGeneration(request.Model, generation.PromptTokens, generation.CompletionTokens, firstToken ?? TimeSpan.Zero, generation.TokensPerSecond);
            }
        }
    }

    public Task<EmbeddingVectors> EmbedAsync(string model, IReadOnlyList<string> inputs, TimeSpan? keepAlive, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        inner.EmbedAsync(model, inputs, keepAlive, origin, cancellationToken);

    public Task<RerankScores> RerankAsync(string model, string query, IReadOnlyList<string> documents, TimeSpan? keepAlive, CancellationToken cancellationToken = default) =>
        inner.RerankAsync(model, query, documents, keepAlive, cancellationToken);

    public Task<int> CountTokensAsync(string model, ModelPrompt prompt, CancellationToken cancellationToken = default) =>
        inner.CountTokensAsync(model, prompt, cancellationToken);

    public Task LoadAsync(string model, TimeSpan? keepAlive, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(model, keepAlive, cancellationToken);

    public Task<bool> UnloadAsync(string model, CancellationToken cancellationToken = default) =>
        inner.UnloadAsync(model, cancellationToken);

    public Task<IReadOnlyList<ModelStatus>> LoadedAsync(CancellationToken cancellationToken = default) =>
        inner.LoadedAsync(cancellationToken);

    public IAsyncEnumerable<TransferEvent> PullAsync(string reference, CancellationToken cancellationToken = default) =>
        inner.PullAsync(reference, cancellationToken);

    private static string Truncate(string text) => text.Length <= MaxRecordedChars ? text : text[..MaxRecordedChars] + "…";
}
