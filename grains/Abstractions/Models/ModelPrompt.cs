namespace ModelRunner.Grains.Models;

/// <summary>
/// What a model is asked: a chat (formatted with its template, tools described), a raw text
/// prompt, or prompt tokens already built. A chat may continue earlier turns: then
/// <see cref="HistoryTokens"/> are the tokens the model saw and generated for
/// <see cref="Messages"/>' first <see cref="HistoryCount"/> messages, and are kept as they are.
/// </summary>
[GenerateSerializer, Immutable, Alias("modelrunner.model-prompt")]
public sealed record ModelPrompt
{
    [Id(0)]
    public IReadOnlyList<PromptMessage>? Messages { get; init; }

    [Id(1)]
    public IReadOnlyList<ToolSpec> Tools { get; init; } = [];

    [Id(2)]
    public string? Text { get; init; }

    [Id(3)]
    public IReadOnlyList<int>? Tokens { get; init; }

    [Id(4)]
    public int HistoryCount { get; init; }

    [Id(5)]
    public IReadOnlyList<int>? HistoryTokens { get; init; }

    /// <summary>
    /// Whether a reasoning model thinks before answering this chat (its template's think block is
    /// opened, or written empty); null follows the model's configuration (<c>--reasoning-budget</c>).
    /// </summary>
    [Id(6)]
    public bool? Think { get; init; }

    /// <summary>A chat, formatted with the model's template; tools go into its system message.</summary>
    public static ModelPrompt Chat(IReadOnlyList<PromptMessage> messages, IReadOnlyList<ToolSpec>? tools = null) =>
        new() { Messages = messages, Tools = tools ?? [] };

    /// <summary>A chat that continues <paramref name="history"/>, whose tokens were <paramref name="historyTokens"/>.</summary>
    public static ModelPrompt Continue(IReadOnlyList<PromptMessage> history, IReadOnlyList<int> historyTokens, IReadOnlyList<PromptMessage> newMessages, IReadOnlyList<ToolSpec>? tools = null) =>
        new() { Messages = [.. history, .. newMessages], HistoryCount = history.Count, HistoryTokens = historyTokens, Tools = tools ?? [] };

    /// <summary>Raw text, tokenized as is (with the model's BOS).</summary>
    public static ModelPrompt Raw(string text) => new() { Text = text };

    /// <summary>Prompt tokens built earlier.</summary>
    public static ModelPrompt FromTokens(IReadOnlyList<int> tokens) => new() { Tokens = tokens };
}
