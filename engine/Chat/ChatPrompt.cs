using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Chat;

/// <summary>
/// Turns conversations into prompt tokens. A continued conversation keeps the exact tokens the
/// model already saw and generated, and appends only the tokens of what the chat template adds
/// after them: the answer's closing marker, the new messages and the next assistant header.
/// Re-tokenizing the whole transcript instead can spell the earlier answer with other tokens
/// than the ones generated, which would defeat KV reuse from the first differing token on.
/// Thread-safe.
/// </summary>
public static class ChatPrompt
{
    /// <summary>The prompt for a fresh conversation.</summary>
    /// <exception cref="ChatTemplateException">The model's template is not one llama.cpp can apply.</exception>
    public static int[] Start(LlamaModel model, IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Tokenize(model.ApplyChatTemplate(messages), addSpecial: true, parseSpecial: true);
    }

    /// <summary>
    /// The prompt for the next turn of a conversation.
    /// </summary>
    /// <param name="model">The model the conversation talks to.</param>
    /// <param name="history">Every message so far; the last is the assistant's answer to the previous prompt.</param>
    /// <param name="historyTokens">The previous prompt's tokens followed by the answer's generated tokens.</param>
    /// <param name="newMessages">The messages of this turn (usually one user message).</param>
    /// <returns>Tokens that start with <paramref name="historyTokens"/> whenever the template renders the history unchanged.</returns>
    /// <exception cref="ChatTemplateException">The model's template is not one llama.cpp can apply.</exception>
    public static int[] Continue(LlamaModel model, IReadOnlyList<ChatMessage> history, IReadOnlyList<int> historyTokens, IReadOnlyList<ChatMessage> newMessages)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(historyTokens);
        ArgumentNullException.ThrowIfNull(newMessages);
        List<ChatMessage> all = [.. history, .. newMessages];
        if (history.Count == 0 || history[^1].Role != "assistant" || historyTokens.Count == 0)
        {
            return Start(model, all);
        }

        var seen = model.ApplyChatTemplate([.. history.Take(history.Count - 1)]) + history[^1].Content;
        var next = model.ApplyChatTemplate(all);
        if (!next.StartsWith(seen, StringComparison.Ordinal))
        {
            // The template renders earlier turns differently once more follow (some drop reasoning,
            // some move the system prompt): the whole prompt is new text.
            return Start(model, all);
        }

        return [.. historyTokens, .. model.Tokenize(next[seen.Length..], addSpecial: false, parseSpecial: true)];
    }
}
