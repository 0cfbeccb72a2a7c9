namespace ModelRunner.Engine.Inference;

/// <summary>
/// One sequence of the context: the tokens its KV cells hold (positions 0..n-1), the
/// conversation they belong to, and the request using it. Owned by the decode loop thread.
/// </summary>
internal sealed class Slot(int id)
{
    public int Id { get; } = id;

    /// <summary>Tokens whose KV cells this sequence holds, in position order.</summary>
    public List<int> Cached { get; } = [];

    /// <summary>The conversation the cached tokens belong to; null for anonymous content.</summary>
    public string? Key { get; set; }

    /// <summary>When a request last released it (Stopwatch ticks): least recently used are evicted first.</summary>
    public long LastUsed { get; set; }

    public ActiveRequest? Request { get; set; }

    public bool IsFree => Request is null;

    /// <summary>How many leading tokens of <paramref name="prompt"/> this sequence already holds.</summary>
    public int CommonPrefix(IReadOnlyList<int> prompt)
    {
        var length = Math.Min(Cached.Count, prompt.Count);
        var common = 0;
        while (common < length && Cached[common] == prompt[common])
        {
            common++;
        }

        return common;
    }
}
