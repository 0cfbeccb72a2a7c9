using System.Diagnostics;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// Keeps the KV state of sequences that lost their place in the context, by cache key, so the
/// next turn of a conversation restores it instead of evaluating its history again. Recently
/// used states stay in RAM up to a budget; older ones are written to disk in the background,
/// up to a disk budget beyond which the oldest are dropped. Thread-safe.
/// </summary>
internal sealed class SequenceCache : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SavedSequence> _entries = new(StringComparer.Ordinal);
    private readonly SequenceLayout _layout;
    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly long _memoryBudget;
    private readonly long _diskBudget;
    private readonly List<Task> _spills = [];
    private long _memoryBytes;
    private long _diskBytes;
    private bool _disposed;

    public SequenceCache(SequenceLayout layout, string? directory, long memoryBudget, long diskBudget)
    {
        _layout = layout;
        _ownsDirectory = directory is null;
        _directory = directory ?? Directory.CreateTempSubdirectory("modelrunner-sequences-").FullName;
        Directory.CreateDirectory(_directory);
        _memoryBudget = memoryBudget;
        _diskBudget = diskBudget;
    }

    public (int InMemory, long MemoryBytes, int OnDisk, long DiskBytes) Usage
    {
        get
        {
            lock (_gate)
            {
                return (_entries.Values.Count(entry => entry.State is not null), _memoryBytes, _entries.Values.Count(entry => entry.State is null), _diskBytes);
            }
        }
    }

    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Keys];
            }
        }
    }

    public bool Contains(string key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key);
        }
    }

    /// <summary>Keeps a sequence's state under <paramref name="key"/>, replacing any older one.</summary>
    public void Put(string key, int[] tokens, byte[] state)
    {
        lock (_gate)
        {
            RemoveLocked(key);
            _entries[key] = new SavedSequence(key, tokens) { State = state, StateBytes = state.Length, LastUsed = Stopwatch.GetTimestamp() };
            _memoryBytes += state.Length;
            SpillOverBudgetLocked();
        }
    }

    /// <summary>Removes and returns a saved sequence, reading it from disk when it is there.</summary>
    /// <exception cref="SequenceStateException">Its file is unreadable or was saved with another layout.</exception>
    public bool TryTake(string key, out int[] tokens, out byte[] state)
    {
        SavedSequence? entry;
        lock (_gate)
        {
            if (!_entries.Remove(key, out entry))
            {
                tokens = [];
                state = [];
                return false;
            }

            Account(entry, -1);
        }

        tokens = entry.Tokens;
        if (entry.State is { } inMemory)
        {
            state = inMemory;
        }
        else
        {
            (tokens, state) = SequenceStateFile.Read(entry.File!, _layout);
        }

        if (entry.OwnsFile && entry.File is { } file)
        {
            File.Delete(file);
        }

        return true;
    }

    /// <summary>
    /// Like <see cref="TryTake"/>, but a state that cannot be read or restored here is dropped
    /// instead of thrown: the caller then evaluates the prompt in full, which gives the same answer.
    /// </summary>
    public bool TryTakeRestorable(string key, out int[] tokens, out byte[] state)
    {
        try
        {
            return TryTake(key, out tokens, out state);
        }
        catch (Exception exception) when (exception is SequenceStateException or IOException)
        {
            tokens = [];
            state = [];
            return false;
        }
    }

    /// <summary>Registers a saved-sequence file under the key it was saved with; it is read when needed and never deleted.</summary>
    /// <returns>The file's cache key.</returns>
    /// <exception cref="SequenceStateException">The file is unreadable or was saved with another layout.</exception>
    public string Import(string path)
    {
        var (saved, key) = SequenceStateFile.ReadLayout(path);
        if (_layout.Incompatibility(saved) is { } reason)
        {
            throw new SequenceStateException($"the saved sequence {path} cannot be restored here: {reason}");
        }

        lock (_gate)
        {
            RemoveLocked(key);
            _entries[key] = new SavedSequence(key, []) { File = path, OwnsFile = false, StateBytes = new FileInfo(path).Length, LastUsed = Stopwatch.GetTimestamp() };
        }

        return key;
    }

    /// <summary>Writes the sequence saved under <paramref name="key"/> to <paramref name="path"/>; false when there is none.</summary>
    public bool Export(string key, string path)
    {
        SavedSequence? entry;
        byte[]? state;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry))
            {
                return false;
            }

            state = entry.State;
        }

        if (state is not null)
        {
            SequenceStateFile.Write(path, _layout, entry.Key, entry.Tokens, state);
        }
        else if (!string.Equals(Path.GetFullPath(entry.File!), Path.GetFullPath(path), StringComparison.Ordinal))
        {
            File.Copy(entry.File!, path + ".partial", overwrite: true);
            File.Move(path + ".partial", path, overwrite: true);
        }

        return true;
    }

    public void Forget(string key)
    {
        lock (_gate)
        {
            RemoveLocked(key);
        }
    }

    /// <summary>Waits for background writes to disk to finish (for orderly shutdown and tests).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_spills);
        }
    }

    public void Dispose()
    {
        Task pending;
        lock (_gate)
        {
            _disposed = true;
            pending = Task.WhenAll(_spills);
        }

        pending.Wait(TimeSpan.FromSeconds(30));
        lock (_gate)
        {
            foreach (var key in _entries.Keys.ToList())
            {
                RemoveLocked(key);
            }
        }

        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void RemoveLocked(string key)
    {
        if (_entries.Remove(key, out var entry))
        {
            Account(entry, -1);
            if (entry.OwnsFile && entry.File is { } file)
            {
                File.Delete(file);
            }
        }
    }

    private void Account(SavedSequence entry, int sign)
    {
        if (entry.State is not null)
        {
            _memoryBytes += sign * entry.StateBytes;
        }
        else if (entry.OwnsFile)
        {
            _diskBytes += sign * entry.StateBytes;
        }
    }

    private void SpillOverBudgetLocked()
    {
        var spilling = _entries.Values.Where(entry => entry.Spilling).Sum(entry => entry.StateBytes);
        foreach (var victim in _entries.Values.Where(entry => entry.State is not null && !entry.Spilling).OrderBy(entry => entry.LastUsed).ToList())
        {
            if (_memoryBytes - spilling <= _memoryBudget)
            {
                break;
            }

            victim.Spilling = true;
            spilling += victim.StateBytes;
            var state = victim.State!;
            _spills.RemoveAll(task => task.IsCompleted);
            _spills.Add(Task.Run(() => Spill(victim, state)));
        }
    }

    private void Spill(SavedSequence entry, byte[] state)
    {
        var path = Path.Combine(_directory, SequenceStateFile.FileNameFor(entry.Key + "#" + entry.LastUsed));
        try
        {
            SequenceStateFile.Write(path, _layout, entry.Key, entry.Tokens, state);
        }
        catch (IOException)
        {
            // A full or failing disk: the state stays in RAM, over budget, rather than being lost.
            lock (_gate)
            {
                entry.Spilling = false;
            }

            return;
        }

        lock (_gate)
        {
            entry.Spilling = false;
            if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry))
            {
                File.Delete(path);
                return;
            }

            _memoryBytes -= entry.StateBytes;
            entry.State = null;
            entry.File = path;
            entry.OwnsFile = true;
            _diskBytes += entry.StateBytes;
            DropOverDiskBudgetLocked();
        }
    }

    private void DropOverDiskBudgetLocked()
    {
        foreach (var victim in _entries.Values.Where(entry => entry.State is null && entry.OwnsFile).OrderBy(entry => entry.LastUsed).ToList())
        {
            if (_diskBytes <= _diskBudget)
            {
                break;
            }

            RemoveLocked(victim.Key);
        }
    }
}
