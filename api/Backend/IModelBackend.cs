using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Engine.Chat;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Backend;

/// <summary>
/// What every API family asks of the models: generate, embed, count, load and unload. The
/// families translate their own request and response shapes; everything they share lives here.
/// Request logging and metrics are decorators around it.
/// </summary>
public interface IModelBackend
{
    /// <summary>Finds a model in the local store by name, short name or id.</summary>
    /// <exception cref="Distribution.ModelNotFoundException">No local model has that name.</exception>
    LocalModel Resolve(string model);

    /// <summary>Streams an answer; tool calls are parsed and reported on the last update.</summary>
    IAsyncEnumerable<BackendUpdate> GenerateAsync(BackendRequest request, CancellationToken cancellationToken = default);

    Task<EmbeddingVectors> EmbedAsync(string model, IReadOnlyList<string> inputs, TimeSpan? keepAlive, RequestOrigin origin, CancellationToken cancellationToken = default);

    /// <summary>Scores documents against a query with a reranking model, in the documents' order.</summary>
    /// <exception cref="InvalidRequestException">The model is not a reranker, or an input is empty.</exception>
    Task<RerankScores> RerankAsync(string model, string query, IReadOnlyList<string> documents, TimeSpan? keepAlive, CancellationToken cancellationToken = default);

    /// <summary>How many tokens a prompt takes, as the model would build it.</summary>
    Task<int> CountTokensAsync(string model, ModelPrompt prompt, CancellationToken cancellationToken = default);

    /// <summary>Loads a model (when it is not) and sets its keep-alive.</summary>
    Task LoadAsync(string model, TimeSpan? keepAlive, CancellationToken cancellationToken = default);

    /// <summary>Unloads a model when it is loaded; false when it was not.</summary>
    Task<bool> UnloadAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>The models loaded on every node of the cluster (this one alone when it runs alone), without loading any.</summary>
    Task<IReadOnlyList<ModelStatus>> LoadedAsync(CancellationToken cancellationToken = default);

    /// <summary>Pulls a model; concurrent pulls of one reference share one download. The last event is the success.</summary>
    /// <exception cref="Distribution.References.InvalidReferenceException">The reference is malformed.</exception>
    IAsyncEnumerable<TransferEvent> PullAsync(string reference, CancellationToken cancellationToken = default);
}
