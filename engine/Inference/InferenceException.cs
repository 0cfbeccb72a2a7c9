namespace ModelRunner.Engine.Inference;

/// <summary>llama.cpp failed while decoding; the engine stays usable for other requests.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message) : base(message) { }
}
