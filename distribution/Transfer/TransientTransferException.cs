namespace ModelRunner.Distribution.Transfer;

/// <summary>A failure worth retrying: a stalled or cut connection, a 5xx or 429 answer. Never escapes a transfer.</summary>
internal sealed class TransientTransferException : Exception
{
    public TransientTransferException()
    {
    }

    public TransientTransferException(string message)
        : base(message)
    {
    }

    public TransientTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
