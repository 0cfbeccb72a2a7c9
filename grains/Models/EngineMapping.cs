using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Reranking;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Translates between the records that cross grain boundaries and the engine's own types, so
/// nothing of llama.cpp's side travels between nodes. Pure functions.
/// </summary>
public static class EngineMapping
{
    public static ChatMessage ToEngine(this PromptMessage message) => new(message.Role, message.Content);

    public static PromptMessage ToContract(this ChatMessage message) => new(message.Role, message.Content);

    /// <exception cref="InvalidRequestException">The parameters are not JSON.</exception>
    public static ToolDefinition ToEngine(this ToolSpec tool)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(tool.ParametersJson);
            return new ToolDefinition(tool.Name, tool.Description, document.RootElement.Clone());
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new InvalidRequestException($"the parameters of tool {tool.Name} are not JSON: {exception.Message}", "tools");
        }
    }

    public static ToolSpec ToContract(this ToolDefinition tool) => new(tool.Name, tool.Description, tool.Parameters.GetRawText());

    public static IReadOnlyList<ChatMessage> ToEngine(this IReadOnlyList<PromptMessage> messages) => [.. messages.Select(ToEngine)];

    public static IReadOnlyList<ToolDefinition> ToEngine(this IReadOnlyList<ToolSpec> tools) => [.. tools.Select(ToEngine)];

    /// <summary>The engine's options for a request: its fields over the model's configured sampling defaults.</summary>
    public static GenerationOptions ToEngineOptions(this ModelRequest request, SamplingOptions defaults) => new()
    {
        MaxTokens = request.MaxTokens,
        Stop = request.Stop,
        Grammar = request.Grammar,
        TopLogprobs = request.TopLogprobs,
        Sampling = request.Sampling.ApplyTo(defaults),
    };

    public static SamplingOptions ApplyTo(this SamplingOverrides overrides, SamplingOptions defaults) => defaults with
    {
        Temperature = overrides.Temperature ?? defaults.Temperature,
        TopK = overrides.TopK ?? defaults.TopK,
        TopP = overrides.TopP ?? defaults.TopP,
        MinP = overrides.MinP ?? defaults.MinP,
        RepeatPenalty = overrides.RepeatPenalty ?? defaults.RepeatPenalty,
        PenaltyLastN = overrides.PenaltyLastN ?? defaults.PenaltyLastN,
        PresencePenalty = overrides.PresencePenalty ?? defaults.PresencePenalty,
        FrequencyPenalty = overrides.FrequencyPenalty ?? defaults.FrequencyPenalty,
        Seed = overrides.Seed ?? defaults.Seed,
    };

    public static GenerationChunk ToContract(this GenerationUpdate update) => new(
        update.Text,
        update.Tokens,
        update.Logprobs is { } logprobs ? [.. logprobs.Select(ToContract)] : null,
        update.Result?.ToContract());

    public static GenerationSummary ToContract(this GenerationResult result) => new(
        result.Reason == FinishReason.Length ? GenerationFinish.Length : GenerationFinish.Stop,
        result.PromptTokens,
        result.CachedPromptTokens,
        result.CompletionTokens,
        result.PromptDuration,
        result.GenerationDuration)
    {
        QueueDuration = result.QueueDuration,
        StopSequence = result.StopSequence,
        DraftTokens = result.DraftTokens,
        DraftAcceptedTokens = result.DraftAcceptedTokens,
    };

    public static TokenProbability ToContract(this TokenLogprob logprob) => new(
        logprob.Token,
        logprob.Bytes,
        logprob.Logprob,
        [.. logprob.TopAlternatives.Select(alternative => new TokenChoice(alternative.Token, alternative.Bytes, alternative.Logprob))]);

    public static EmbeddingVectors ToContract(this EmbeddingResult result) => new(result.Vectors, result.PromptTokens);

    public static RerankScores ToContract(this RerankResult result) => new(result.Scores, result.PromptTokens);
}
