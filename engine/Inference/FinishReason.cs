namespace ModelRunner.Engine.Inference;

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced an end-of-generation token, or a stop string appeared.</summary>
    Stop,

    /// <summary>The token limit was reached, or the context is full.</summary>
    Length,
}
