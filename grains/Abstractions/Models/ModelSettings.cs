namespace ModelRunner.Grains.Models;

/// <summary>
/// A model's configuration (DMR's <c>configure</c>): persisted, applied when the model next loads.
/// </summary>
/// <param name="ContextSize">Tokens per sequence; null uses the engine default (4096), capped at the model's training context.</param>
/// <param name="RuntimeFlags">llama.cpp-style flags from the allowed list.</param>
/// <param name="KeepAlive">Idle time before unloading; null uses the default (5 minutes); negative: never.</param>
/// <param name="Replicas">In a cluster, how many nodes may each hold an activation of the model when load asks for it; null: one.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.model-settings")]
public sealed record ModelSettings(
    [property: Id(0)] int? ContextSize = null,
    [property: Id(1)] IReadOnlyList<string>? RuntimeFlags = null,
    [property: Id(2)] TimeSpan? KeepAlive = null,
    [property: Id(3)] int? Replicas = null)
{
    public static ModelSettings Default { get; } = new();

    /// <summary>The flags, never null.</summary>
    public IReadOnlyList<string> Flags => RuntimeFlags ?? [];
}
