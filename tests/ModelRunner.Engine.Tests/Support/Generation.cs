using System.Text;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Support;

/// <summary>Collects a streamed generation into its text, its pieces and its result.</summary>
internal sealed record Generation(string Text, IReadOnlyList<string> Pieces, GenerationResult Result, IReadOnlyList<int> Tokens)
{
    public static async Task<Generation> CollectAsync(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var pieces = new List<string>();
        var tokens = new List<int>();
        GenerationResult? result = null;
        await foreach (var update in updates)
        {
            pieces.Add(update.Text);
            tokens.AddRange(update.Logprobs?.Select(logprob => logprob.Token) ?? []);
            result ??= update.Result;
        }

        Assert.NotNull(result);
        return new Generation(string.Concat(pieces), pieces, result, tokens);
    }

    public static Task<Generation> GreedyAsync(InferenceEngine engine, string prompt, int maxTokens, params string[] stop) =>
        CollectAsync(engine.GenerateAsync(prompt, new GenerationOptions { MaxTokens = maxTokens, Stop = stop, Sampling = SamplingOptions.Greedy }));

    public override string ToString() => new StringBuilder(Text).Append(" (").Append(Result).Append(')').ToString();
}
