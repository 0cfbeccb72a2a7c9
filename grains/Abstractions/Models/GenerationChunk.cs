namespace ModelRunner.Grains.Models;

/// <summary>
/// One step of a streamed generation: new answer text (never half a character, never part of a
/// stop string), new thinking text of a reasoning model (<see cref="Reasoning"/>), the ids of the
/// tokens behind both, their log-probabilities when asked for, and on the last chunk the <see cref="Summary"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("modelrunner.generation-chunk")]
public sealed record GenerationChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] IReadOnlyList<int> Tokens,
    [property: Id(2)] IReadOnlyList<TokenProbability>? Logprobs = null,
    [property: Id(3)] GenerationSummary? Summary = null,
    [property: Id(4)] string Reasoning = "");
