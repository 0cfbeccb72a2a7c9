using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;
using ModelRunner.Grains.Pulls;
using ModelRunner.Api.Cluster;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Backend;

/// <summary>
/// The backend on this node's grains: a model name resolves through the local store to a model
/// grain; a request bound to a conversation goes through its conversation grain. Tools are
/// described in the prompt; when a call is required a grammar forces one; answers that may hold
/// tool calls are collected whole and parsed before anything is sent. Thread-safe.
/// </summary>
internal sealed class GrainModelBackend(IGrainFactory grains, IModelDistribution distribution, LoadedModels loaded, PeerModels peers, PeerStatuses statuses, ReplicaRouter replicas, CancellationToken shutdown) : IModelBackend
{
    public LocalModel Resolve(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Trim();
        if (name.Length == 0)
        {
            throw ApiException.Invalid("'model' is required", "model");
        }

        // In a cluster a model another node has is fetched from it, once; this blocks the one
        // request that needs it, as a pull would (the callers of Resolve are synchronous).
        return distribution.Store.Find(name)
            ?? peers.FetchAsync(name, CancellationToken.None).GetAwaiter().GetResult()
            ?? distribution.Store.Get(name);
    }

    public async IAsyncEnumerable<BackendUpdate> GenerateAsync(BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A stopping server ends generations still running after its grace period.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown);
        cancellationToken = stopping.Token;
        var started = Stopwatch.GetTimestamp();
        var stored = Resolve(request.Model);
        var tools = request.ToolChoice.Mode == "none" ? [] : request.Tools;
        var options = request.Options with { Grammar = GrammarFor(request, tools) };
        using var replica = await replicas.AcquireAsync(stored.Id, cancellationToken).ConfigureAwait(false);
        var loading = await LoadIfNeededAsync(replica.Key, request.KeepAlive, cancellationToken).ConfigureAwait(false);

        request = request with { Prompt = request.Prompt with { Think = request.Think ?? request.Prompt.Think } };
        var updates = request.ConversationId is { } conversation
            ? ConversationAsync(conversation, replica.Key, request, options, tools, cancellationToken)
            : ClusterRetry.StreamAsync(() => grains.GetGrain<IModelGrain>(replica.Key).GenerateAsync(ModelRequestOf(request, options, request.Prompt with { Tools = [.. tools.Select(EngineMapping.ToContract)] }), cancellationToken), cancellationToken);

        // With tools in play the answer may be a call: it is read whole before it is sent.
        var collect = tools.Count > 0;
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        await foreach (var update in updates.ConfigureAwait(false))
        {
            text.Append(update.Text);
            reasoning.Append(update.Reasoning);
            if (update.Summary is not { } generation)
            {
                // Thinking is never a tool call: it streams even while the answer is collected.
                var answer = collect ? "" : update.Text;
                if (answer.Length > 0 || update.Reasoning.Length > 0 || (!collect && update.Logprobs is not null))
                {
                    yield return new BackendUpdate(answer, collect ? null : update.Logprobs, Reasoning: update.Reasoning);
                }

                continue;
            }

            var (content, calls) = collect ? ToolPrompt.Parse(text.ToString(), tools) : (text.ToString(), []);
            var finish = calls.Count > 0 ? BackendFinish.ToolCalls : generation.Finish == GenerationFinish.Length ? BackendFinish.Length : BackendFinish.Stop;
            var result = new BackendResult(
                request.Model,
                finish,
                content,
                [.. calls.Select(call => new ToolCallResult("call_" + Guid.NewGuid().ToString("N")[..24], call.Name, call.Arguments))],
                generation,
                generation.StopSequence)
            {
                TotalDuration = Stopwatch.GetElapsedTime(started),
                LoadDuration = loading,
                Reasoning = reasoning.ToString(),
            };
            yield return new BackendUpdate(collect ? content : update.Text, update.Logprobs, result, update.Reasoning);
        }
    }

    public async Task<EmbeddingVectors> EmbedAsync(string model, IReadOnlyList<string> inputs, TimeSpan? keepAlive, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        using var replica = await replicas.AcquireAsync(Resolve(model).Id, cancellationToken).ConfigureAwait(false);
        await LoadIfNeededAsync(replica.Key, keepAlive, cancellationToken).ConfigureAwait(false);
        return await grains.GetGrain<IModelGrain>(replica.Key).EmbedAsync(inputs, keepAlive, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RerankScores> RerankAsync(string model, string query, IReadOnlyList<string> documents, TimeSpan? keepAlive, CancellationToken cancellationToken = default)
    {
        var stored = Resolve(model);
        await LoadIfNeededAsync(stored.Id, keepAlive, cancellationToken).ConfigureAwait(false);
        return await grains.GetGrain<IModelGrain>(stored.Id).RerankAsync(query, documents, keepAlive, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountTokensAsync(string model, ModelPrompt prompt, CancellationToken cancellationToken = default)
    {
        using var replica = await replicas.AcquireAsync(Resolve(model).Id, cancellationToken).ConfigureAwait(false);
        await LoadIfNeededAsync(replica.Key, null, cancellationToken).ConfigureAwait(false);
        return (await grains.GetGrain<IModelGrain>(replica.Key).BuildPromptAsync(prompt, cancellationToken).ConfigureAwait(false)).Length;
    }

    public Task LoadAsync(string model, TimeSpan? keepAlive, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IModelGrain>(Resolve(model).Id).PreloadAsync(keepAlive, cancellationToken);

    public async Task<bool> UnloadAsync(string model, CancellationToken cancellationToken = default)
    {
        if (loaded.Find(Resolve(model).Id) is not { } target)
        {
            return false;
        }

        await target.EvictAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<IReadOnlyList<ModelStatus>> LoadedAsync(CancellationToken cancellationToken = default) => statuses.EverywhereAsync(cancellationToken);

    public async IAsyncEnumerable<TransferEvent> PullAsync(string reference, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pull = grains.GetGrain<IPullGrain>(ModelReference.Parse(reference.Trim()).ToString());
        await foreach (var progress in pull.PullAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new TransferEvent(
                (TransferEventKind)progress.Kind,
                progress.Message,
                progress.Total,
                progress.Completed,
                progress.Layer is { } layer ? new LayerProgress(layer.Digest, layer.MediaType, layer.Size, layer.Current) : null,
                progress.ModelId is { } id ? distribution.Store.Get(id) : null);
        }
    }

    /// <param name="modelKey">The replica a new conversation starts on; one under way stays on its own.</param>
    private async IAsyncEnumerable<GenerationChunk> ConversationAsync(string id, string modelKey, BackendRequest request, GenerationOptions options, IReadOnlyList<ToolDefinition> tools, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var conversation = grains.GetGrain<IConversationGrain>(id);
        var messages = request.Prompt.Messages ?? throw ApiException.Invalid("a conversation continues with chat messages, not a raw prompt", "messages");
        if (await conversation.GetAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await conversation.CreateAsync(modelKey, request.Model, [], new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        }

        var turn = new ConversationTurn(messages, ModelRequestOf(request, options, request.Prompt)) { Tools = [.. tools.Select(EngineMapping.ToContract)] };
        await foreach (var update in ClusterRetry.StreamAsync(() => conversation.SendAsync(turn, modelKey, request.Model, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private static ModelRequest ModelRequestOf(BackendRequest request, GenerationOptions options, ModelPrompt prompt) => new(prompt)
    {
        MaxTokens = options.MaxTokens,
        Stop = options.Stop,
        Grammar = options.Grammar,
        TopLogprobs = options.TopLogprobs,
        Sampling = request.Sampling,
        KeepAlive = request.KeepAlive,
        ReasoningBudget = request.ReasoningBudget,
    };

    /// <summary>
    /// Loads the model through the one call allowed to take as long as loading does (Orleans'
    /// response timeout would cut any other), and times it when it was not loaded here yet
    /// (Ollama's <c>load_duration</c>).
    /// </summary>
    private async Task<TimeSpan> LoadIfNeededAsync(string modelKey, TimeSpan? keepAlive, CancellationToken cancellationToken)
    {
        if (loaded.IsLoaded(modelKey))
        {
            return TimeSpan.Zero;
        }

        var started = Stopwatch.GetTimestamp();
        await grains.GetGrain<IModelGrain>(modelKey).PreloadAsync(keepAlive, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The grammar the answer must follow: a required tool call, else the response format's JSON.</summary>
    private static string? GrammarFor(BackendRequest request, IReadOnlyList<ToolDefinition> tools)
    {
        if (tools.Count > 0 && request.ToolChoice.Mode is "required" or "function")
        {
            return ToolPrompt.RequiredCallGrammar(tools, request.ToolChoice.Function);
        }

        return request.Format.Type switch
        {
            "json_object" => JsonGrammar.AnyJsonObject,
            "json_schema" => JsonGrammar.FromSchema(request.Format.Schema ?? throw ApiException.Invalid("json_schema needs a schema", "response_format")),
            _ => request.Options.Grammar,
        };
    }
}
