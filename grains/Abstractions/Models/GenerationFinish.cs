namespace ModelRunner.Grains.Models;

/// <summary>Why a generation ended.</summary>
[GenerateSerializer, Alias("modelrunner.generation-finish")]
public enum GenerationFinish
{
    /// <summary>The model produced an end-of-generation token, or a stop string appeared.</summary>
    Stop,

    /// <summary>The token limit was reached, or the context is full.</summary>
    Length,
}
