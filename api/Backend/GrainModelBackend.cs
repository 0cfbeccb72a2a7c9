using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;
using ModelRunner.Grains.Pulls;
using ModelRunner.Silo.Activations;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Api.Backend;

/// <summary>
/// The backend on this node's grains: a model name resolves through the local store to a model
/// grain; a request bound to a conversation goes through its conversation grain. Tools are
/// described in the prompt; when a call is required a grammar forces one; answers that may hold
/// tool calls are collected whole and parsed before anything is sent. Thread-safe.
/// </summary>
internal sealed class GrainModelBackend(IGrainFactory grains, IModelDistribution distribution, IActivationManager activations) : IModelBackend
{
    public LocalModel Resolve(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return distribution.Store.Get(model.Trim());
    }

    public async IAsyncEnumerable<BackendUpdate> GenerateAsync(BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var stored = Resolve(request.Model);
        var tools = request.ToolChoice.Mode == "none" ? [] : request.Tools;
        var options = request.Options with { Grammar = GrammarFor(request, tools) };
        var loading = await LoadIfNeededAsync(stored.Id, request.KeepAlive, cancellationToken).ConfigureAwait(false);

        var updates = request.ConversationId is { } conversation
            ? ConversationAsync(conversation, stored, request, options, tools, cancellationToken)
            : grains.GetGrain<IModelGrain>(stored.Id).GenerateAsync(
                new ModelRequest(request.Prompt with { Tools = tools }, options) { Sampling = request.Sampling, KeepAlive = request.KeepAlive },
                cancellationToken);

        // With tools in play the answer may be a call: it is read whole before it is sent.
        var collect = tools.Count > 0;
        var text = new StringBuilder();
        await foreach (var update in updates.ConfigureAwait(false))
        {
            text.Append(update.Text);
            if (update.Result is not { } generation)
            {
                if (!collect && (update.Text.Length > 0 || update.Logprobs is not null))
                {
                    yield return new BackendUpdate(update.Text, update.Logprobs);
                }

                continue;
            }

            var (content, calls) = collect ? ToolPrompt.Parse(text.ToString(), tools) : (text.ToString(), []);
            var finish = calls.Count > 0 ? BackendFinish.ToolCalls : generation.Reason == FinishReason.Length ? BackendFinish.Length : BackendFinish.Stop;
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
            };
            yield return new BackendUpdate(collect ? content : update.Text, update.Logprobs, result);
        }
    }

    public async Task<EmbeddingResult> EmbedAsync(string model, IReadOnlyList<string> inputs, TimeSpan? keepAlive, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var stored = Resolve(model);
        return await grains.GetGrain<IModelGrain>(stored.Id).EmbedAsync(inputs, keepAlive, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountTokensAsync(string model, ModelPrompt prompt, CancellationToken cancellationToken = default)
    {
        var stored = Resolve(model);
        return (await grains.GetGrain<IModelGrain>(stored.Id).BuildPromptAsync(prompt, cancellationToken).ConfigureAwait(false)).Length;
    }

    public Task LoadAsync(string model, TimeSpan? keepAlive, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IModelGrain>(Resolve(model).Id).PreloadAsync(keepAlive, cancellationToken);

    public async Task<bool> UnloadAsync(string model, CancellationToken cancellationToken = default)
    {
        var id = Resolve(model).Id;
        return await activations.TryDeactivateAsync<IModelGrain>(id, DeactivationReason.ExternalRequest, includePinned: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ModelStatus>> LoadedAsync(CancellationToken cancellationToken = default)
    {
        var loaded = activations.GetActivations<IModelGrain>().Where(activation => activation.Status == ActivationStatus.Active);
        var statuses = new List<ModelStatus>();
        foreach (var activation in loaded)
        {
            try
            {
                statuses.Add(await grains.GetGrain<IModelGrain>(activation.Key).GetStatusAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (InvalidOperationException)
            {
                // It unloaded between the snapshot and the call: no longer loaded.
            }
        }

        return statuses;
    }

    public IAsyncEnumerable<TransferEvent> PullAsync(string reference, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IPullGrain>(ModelReference.Parse(reference.Trim()).ToString()).PullAsync(cancellationToken);

    private async IAsyncEnumerable<GenerationUpdate> ConversationAsync(string id, LocalModel stored, BackendRequest request, GenerationOptions options, IReadOnlyList<ToolDefinition> tools, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var conversation = grains.GetGrain<IConversationGrain>(id);
        var messages = request.Prompt.Messages ?? throw new ArgumentException("a conversation continues with chat messages, not a raw prompt", nameof(request));
        if (await conversation.GetAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await conversation.CreateAsync(stored.Id, request.Model, [], new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        }

        var turn = new ConversationTurn(messages, options) { Sampling = request.Sampling, Tools = tools, KeepAlive = request.KeepAlive };
        await foreach (var update in conversation.SendAsync(turn, stored.Id, request.Model, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>Times the load when the model is not loaded yet (Ollama's <c>load_duration</c>).</summary>
    private async Task<TimeSpan> LoadIfNeededAsync(string id, TimeSpan? keepAlive, CancellationToken cancellationToken)
    {
        if (activations.GetActivations<IModelGrain>().Any(activation => activation.Key == id && activation.Status == ActivationStatus.Active))
        {
            return TimeSpan.Zero;
        }

        var started = Stopwatch.GetTimestamp();
        await grains.GetGrain<IModelGrain>(id).PreloadAsync(keepAlive, cancellationToken).ConfigureAwait(false);
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
            "json_schema" => JsonGrammar.FromSchema(request.Format.Schema ?? throw new ArgumentException("json_schema needs a schema", nameof(request))),
            _ => request.Options.Grammar,
        };
    }
}
