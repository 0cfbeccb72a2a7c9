namespace ModelRunner.Engine.Gguf;

/// <summary>
/// A GGUF file is malformed, truncated, or uses something this reader does not support. The message says what is
/// wrong and at which byte offset, relative to the start of the GGUF data.
/// </summary>
public sealed class GgufFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public GgufFormatException()
        : base("The GGUF file is malformed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public GgufFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
