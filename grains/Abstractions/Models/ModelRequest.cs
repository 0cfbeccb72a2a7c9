namespace ModelRunner.Grains.Models;

/// <summary>One generation request to a model grain.</summary>
/// <param name="Prompt">What the model is asked.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.model-request")]
public sealed record ModelRequest([property: Id(0)] ModelPrompt Prompt)
{
    /// <summary>Stop after this many tokens; null runs to an end-of-generation token or a full context.</summary>
    [Id(1)]
    public int? MaxTokens { get; init; }

    /// <summary>Strings that end the generation; not part of the output.</summary>
    [Id(2)]
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>A GBNF grammar (root rule <c>root</c>) the output must follow; null for free text.</summary>
    [Id(3)]
    public string? Grammar { get; init; }

    /// <summary>Report each token's log-probability and this many alternatives (0 to 20); null for none.</summary>
    [Id(4)]
    public int? TopLogprobs { get; init; }

    /// <summary>The sampling fields the caller set; the model's configured defaults fill the rest.</summary>
    [Id(5)]
    public SamplingOverrides Sampling { get; init; } = SamplingOverrides.None;

    /// <summary>The conversation this request continues; its KV cells are kept under this key.</summary>
    [Id(6)]
    public string? CacheKey { get; init; }

    /// <summary>
    /// How long the model stays loaded after this request (Ollama's <c>keep_alive</c>): zero
    /// unloads it right after, negative never; null keeps the model's configured keep-alive.
    /// </summary>
    [Id(7)]
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>Most thinking tokens before the answer (Anthropic's <c>budget_tokens</c>); null follows the model's configuration.</summary>
    [Id(8)]
    public int? ReasoningBudget { get; init; }
}
