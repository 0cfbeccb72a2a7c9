namespace ModelRunner.Engine.Sequences;

/// <summary>A saved sequence state is unreadable, or belongs to another model or KV layout.</summary>
public sealed class SequenceStateException : Exception
{
    public SequenceStateException(string message) : base(message) { }

    public SequenceStateException(string message, Exception innerException) : base(message, innerException) { }
}
