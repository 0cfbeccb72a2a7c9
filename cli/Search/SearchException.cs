namespace ModelRunner.Cli.Search;

/// <summary>A catalogue failed to answer a search; the message names it and says why.</summary>
internal sealed class SearchException(string message, Exception? innerException = null) : Exception(message, innerException);
