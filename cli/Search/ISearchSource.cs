namespace ModelRunner.Cli.Search;

/// <summary>A catalogue <c>search</c> asks: Docker Hub's <c>ai/</c> namespace or the Hugging Face Hub's GGUF models.</summary>
internal interface ISearchSource
{
    /// <summary>The name shown in the SOURCE column and in messages.</summary>
    string Name { get; }

    /// <summary>At most <paramref name="limit"/> models matching <paramref name="term"/> (all when empty), most downloaded first.</summary>
    /// <exception cref="SearchException">The catalogue could not be reached or answered with an error.</exception>
    Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, CancellationToken cancellationToken);
}
