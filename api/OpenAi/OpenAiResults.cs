using ModelRunner.Grains.Models;
using ModelRunner.Api.Backend;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Api.OpenAi;

/// <summary>Backend results in OpenAI's words: finish reasons, usage, timings, logprobs, tool calls.</summary>
internal static class OpenAiResults
{
    public static string FinishReason(BackendFinish finish) => finish switch
    {
        BackendFinish.Length => "length",
        BackendFinish.ToolCalls => "tool_calls",
        _ => "stop",
    };

    public static Usage Usage(GenerationSummary result) =>
        new(result.PromptTokens, result.CompletionTokens, result.PromptTokens + result.CompletionTokens, new PromptTokensDetails(result.CachedPromptTokens));

    public static Timings Timings(GenerationSummary result) => new(
        result.CachedPromptTokens,
        result.PromptTokens - result.CachedPromptTokens,
        result.PromptDuration.TotalMilliseconds,
        result.PromptTokensPerSecond,
        result.CompletionTokens,
        result.GenerationDuration.TotalMilliseconds,
        result.TokensPerSecond)
    {
        DraftN = result.DraftTokens > 0 ? result.DraftTokens : null,
        DraftNAccepted = result.DraftTokens > 0 ? result.DraftAcceptedTokens : null,
    };

    public static ChoiceLogprobs? Logprobs(IReadOnlyList<TokenProbability>? logprobs) =>
        logprobs is null ? null : new ChoiceLogprobs([.. logprobs.Select(Entry)]);

    public static IReadOnlyList<ToolCallEntry>? ToolCalls(IReadOnlyList<ToolCallResult> calls, bool indexed = false) =>
        calls.Count == 0 ? null : [.. calls.Select((call, i) => new ToolCallEntry(call.Id, new FunctionCall(call.Name, call.Arguments)) { Index = indexed ? i : null })];

    private static LogprobEntry Entry(TokenProbability token) => new(
        token.Text,
        token.Logprob,
        [.. token.Bytes.Select(b => (int)b)],
        [.. token.TopAlternatives.Select(alternative => new TopLogprob(alternative.Text, alternative.Logprob, [.. alternative.Bytes.Select(b => (int)b)]))]);
}
