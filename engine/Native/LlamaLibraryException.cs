namespace ModelRunner.Engine.Native;

/// <summary>llama.cpp's libraries are missing, of the wrong release, or failed to load.</summary>
public sealed class LlamaLibraryException : Exception
{
    public LlamaLibraryException(string message) : base(message) { }

    public LlamaLibraryException(string message, Exception innerException) : base(message, innerException) { }
}
