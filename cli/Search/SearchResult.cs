namespace ModelRunner.Cli.Search;

/// <summary>One model a search found: its pullable name (<c>ai/…</c> or <c>hf.co/…</c>), what it is, and how popular.</summary>
internal sealed record SearchResult(string Name, string Description, long Downloads, long Stars, string Source);
