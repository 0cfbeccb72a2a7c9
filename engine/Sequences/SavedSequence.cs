namespace ModelRunner.Engine.Sequences;

/// <summary>One evicted sequence: the tokens its KV cells held and llama.cpp's state blob, in RAM or in a file.</summary>
internal sealed class SavedSequence(string key, int[] tokens)
{
    public string Key { get; } = key;

    public int[] Tokens { get; set; } = tokens;

    /// <summary>The state blob while it is in RAM; the cache holds one reference on it.</summary>
    public NativeBuffer? State { get; set; }

    /// <summary>The file holding it, once written.</summary>
    public string? File { get; set; }

    /// <summary>True when the file is the cache's own (spilled), false when it was imported and belongs to someone else.</summary>
    public bool OwnsFile { get; set; }

    /// <summary>True while a background write of <see cref="State"/> to a file is under way.</summary>
    public bool Spilling { get; set; }

    /// <summary>The background read of <see cref="File"/> into RAM, while one runs.</summary>
    public Task? Loading { get; set; }

    public long StateBytes { get; set; }

    public long LastUsed { get; set; }
}
