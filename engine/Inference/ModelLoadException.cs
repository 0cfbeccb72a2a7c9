namespace ModelRunner.Engine.Inference;

/// <summary>A model file is missing, is not a GGUF model, or llama.cpp refused to load it.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string message) : base(message) { }

    public ModelLoadException(string message, Exception innerException) : base(message, innerException) { }
}
