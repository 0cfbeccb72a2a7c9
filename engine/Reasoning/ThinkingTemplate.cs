namespace ModelRunner.Engine.Reasoning;

/// <summary>
/// What a chat template says about thinking, read from its text: llama.cpp formats templates
/// natively by family and drops what a Jinja template adds after the assistant header, so a
/// template that opens a <c>&lt;think&gt;</c> block there (DeepSeek-R1 style) is recognised here
/// and the block is opened in the prompt by <see cref="PromptSuffix"/>. Thread-safe.
/// </summary>
/// <param name="Known">The template mentions think blocks: the model is a reasoning model.</param>
/// <param name="Opens">Its generation prompt opens a think block, so the answer starts inside one.</param>
public sealed record ThinkingTemplate(bool Known, bool Opens)
{
    public const string Open = "<think>";
    public const string Close = "</think>";

    public static ThinkingTemplate None { get; } = new(false, false);

    /// <summary>Reads a template's text; null (no template) knows no thinking.</summary>
    public static ThinkingTemplate Of(string? template)
    {
        if (template is null || !template.Contains(Open, StringComparison.Ordinal))
        {
            return None;
        }

        // What the template writes once the messages are done: the generation prompt.
        var generation = template.LastIndexOf("add_generation_prompt", StringComparison.Ordinal) is var at and >= 0 ? template[at..] : "";
        var opens = generation.Contains(Open, StringComparison.Ordinal) && !generation.Contains(Close, StringComparison.Ordinal);
        return new ThinkingTemplate(true, opens);
    }

    /// <summary>
    /// Text to append to the formatted prompt: thinking on opens the block where the template does;
    /// thinking off writes an empty block (as reasoning templates do when thinking is disabled), so
    /// the model answers at once. Empty for a model that knows no thinking.
    /// </summary>
    public string PromptSuffix(bool thinking) =>
        !Known ? ""
        : thinking ? (Opens ? Open + "\n" : "")
        : Open + "\n\n" + Close + "\n\n";
}
