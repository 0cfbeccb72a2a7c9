namespace ModelRunner.Cli.Client;

/// <summary>The server answered with an error, or could not be reached; the message is the one line the user sees.</summary>
internal sealed class ServerException(string message, int? status = null) : Exception(message)
{
    /// <summary>The HTTP status, or null when the server could not be reached.</summary>
    public int? Status { get; } = status;
}
