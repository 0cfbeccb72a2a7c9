using ModelRunner.Engine.Inference;

namespace ModelRunner.Grains.Models;

/// <summary>One generation request to a model grain.</summary>
/// <param name="Prompt">What the model is asked.</param>
/// <param name="Options">What to generate; its <see cref="GenerationOptions.Sampling"/> is replaced by <see cref="Sampling"/> over the model's defaults.</param>
public sealed record ModelRequest(ModelPrompt Prompt, GenerationOptions Options)
{
    /// <summary>The sampling fields the caller set; the model's configured defaults fill the rest.</summary>
    public SamplingOverrides Sampling { get; init; } = SamplingOverrides.None;

    /// <summary>The conversation this request continues; its KV cells are kept under this key (see <see cref="GenerationRequest.CacheKey"/>).</summary>
    public string? CacheKey { get; init; }

    /// <summary>
    /// How long the model stays loaded after this request (Ollama's <c>keep_alive</c>): zero
    /// unloads it right after, negative never; null keeps the model's configured keep-alive.
    /// </summary>
    public TimeSpan? KeepAlive { get; init; }
}
