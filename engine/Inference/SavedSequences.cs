using ModelRunner.Engine.Native;
using ModelRunner.Engine.Sequences;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Moves named conversations' KV state between the context's sequences and the
/// <see cref="SequenceCache"/>: saved when another request takes their sequence, restored when
/// they come back, written to files before the model unloads. Methods that touch the context
/// run on the decode loop thread; the rest are thread-safe.
/// </summary>
internal sealed class SavedSequences : IDisposable
{
    private readonly SafeLlamaContextHandle _context;
    private readonly SequenceLayout _layout;
    private readonly SequenceCache _cache;

    public SavedSequences(SafeLlamaContextHandle context, SequenceLayout layout, EngineOptions options, PinnedHostMemory? pinned)
    {
        _context = context;
        _layout = layout;
        _cache = new SequenceCache(layout, options.SavedSequenceDirectory, options.SavedSequenceMemoryBytes, options.SavedSequenceDiskBytes, pinned);
    }

    public (int InMemory, long MemoryBytes, int OnDisk, long DiskBytes) Usage => _cache.Usage;

    public bool Contains(string key) => _cache.Contains(key);

    /// <summary>Reads a state on disk back into RAM, off the decode loop.</summary>
    public Task PrefetchAsync(string key) => _cache.PrefetchAsync(key);

    /// <exception cref="SequenceStateException">The file is unreadable or was saved from another model or KV layout.</exception>
    public string Import(string path) => _cache.Import(path);

    public Task FlushAsync() => _cache.FlushAsync();

    /// <summary>Saves a named conversation's KV state before its sequence is reused; the cells stay as anonymous content.</summary>
    public void Evict(Slot slot)
    {
        if (slot.Cached.Count > 0)
        {
            _cache.Put(slot.Key!, [.. slot.Cached], ReadState(slot));
        }

        slot.Key = null;
    }

    /// <summary>Puts the saved state of <paramref name="key"/>, if any, into <paramref name="slot"/>.</summary>
    public void TryRestore(Slot slot, string key)
    {
        if (_cache.TryTakeRestorable(key, out var tokens, out var state))
        {
            using (state)
            {
                Restore(slot, tokens, state!);
            }
        }
    }

    /// <summary>Writes every named conversation, live or saved, to a file in <paramref name="directory"/>.</summary>
    /// <returns>The cache keys written.</returns>
    public IReadOnlyList<string> WriteAll(string directory, IEnumerable<Slot> slots)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var slot in slots.Where(slot => slot.Key is not null && slot.Cached.Count > 0))
        {
            using var state = ReadState(slot);
            SequenceStateFile.Write(InferenceEngine.SavedSequencePath(directory, slot.Key!), _layout, slot.Key!, [.. slot.Cached], state, durable: true);
            written.Add(slot.Key!);
        }

        foreach (var key in _cache.Keys.Except(written))
        {
            if (_cache.Export(key, InferenceEngine.SavedSequencePath(directory, key)))
            {
                written.Add(key);
            }
        }

        return written;
    }

    /// <summary>Drops a conversation's KV cells in free sequences and its saved state.</summary>
    public void Forget(string key, IEnumerable<Slot> slots)
    {
        foreach (var slot in slots.Where(slot => slot.Key == key && slot.IsFree))
        {
            _context.RemoveSequence(slot.Id);
            slot.Cached.Clear();
            slot.Key = null;
        }

        _cache.Forget(key);
    }

    public void Dispose() => _cache.Dispose();

    private unsafe NativeBuffer ReadState(Slot slot)
    {
        var state = _cache.Buffers.Rent(_context.SequenceStateSize(slot.Id));
        state.Truncate(_context.GetSequenceState(slot.Id, state.Pointer, state.Length));
        return state;
    }

    private unsafe void Restore(Slot slot, int[] tokens, NativeBuffer state)
    {
        _context.RemoveSequence(slot.Id);
        slot.Cached.Clear();
        if (_context.SetSequenceState(slot.Id, state.Pointer, state.Length) == 0)
        {
            // Unusable state: the prompt is evaluated in full instead, which gives the same answer.
            _context.RemoveSequence(slot.Id);
            return;
        }

        slot.Cached.AddRange(tokens);
    }
}
