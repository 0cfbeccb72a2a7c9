using System.Diagnostics;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// Keeps the KV state of sequences that lost their place in the context, by cache key, so the
/// next turn of a conversation restores it instead of evaluating its history again. Recently
/// used states stay in RAM up to a budget; older ones are written to disk in the background, up
/// to a disk budget beyond which the oldest are dropped. A state on disk is read back into RAM
/// ahead of its request (<see cref="PrefetchAsync"/>), off the decode loop. Thread-safe.
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
    private readonly List<Task> _background = [];
    private long _memoryBytes;
    private long _diskBytes;
    private bool _disposed;

    public SequenceCache(SequenceLayout layout, string? directory, long memoryBudget, long diskBudget, PinnedHostMemory? pinned = null)
    {
        // Enough idle blocks for the state being restored while another is saved.
        Buffers = new NativeBufferPool(Math.Min(512L << 20, Math.Max(64L << 20, memoryBudget / 2)), pinned);
        _layout = layout;
        _ownsDirectory = directory is null;
        _directory = directory ?? Directory.CreateTempSubdirectory("modelrunner-sequences-").FullName;
        Directory.CreateDirectory(_directory);
        _memoryBudget = memoryBudget;
        _diskBudget = diskBudget;
    }

    /// <summary>Where states' memory comes from (and goes back to).</summary>
    public NativeBufferPool Buffers { get; }

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

    /// <summary>Keeps a sequence's state under <paramref name="key"/>, replacing any older one; takes ownership of <paramref name="state"/>.</summary>
    public void Put(string key, int[] tokens, NativeBuffer state)
    {
        lock (_gate)
        {
            RemoveLocked(key);
            _entries[key] = new SavedSequence(key, tokens) { State = state, StateBytes = state.Length, LastUsed = Stopwatch.GetTimestamp() };
            _memoryBytes += state.Length;
            SpillOverBudgetLocked();
        }
    }

    /// <summary>Starts reading a state that is on disk back into RAM, and completes when it is there.</summary>
    public Task PrefetchAsync(string key)
    {
        lock (_gate)
        {
            if (_disposed || !_entries.TryGetValue(key, out var entry) || entry.State is not null)
            {
                return Task.CompletedTask;
            }

            return entry.Loading ??= Track(Task.Run(() => Load(entry)));
        }
    }

    /// <summary>Removes and returns a saved sequence; the caller owns the state and disposes it.</summary>
    /// <exception cref="SequenceStateException">Its file is unreadable or was saved with another layout.</exception>
    public bool TryTake(string key, out int[] tokens, out NativeBuffer? state)
    {
        SavedSequence? entry;
        Task? loading;
        lock (_gate)
        {
            _entries.TryGetValue(key, out entry);
            loading = entry?.Loading;
        }

        // A prefetch under way finishes in a moment; reading the file a second time would not be faster.
        loading?.GetAwaiter().GetResult();
        lock (_gate)
        {
            if (entry is null || !_entries.Remove(key, out var current) || !ReferenceEquals(current, entry))
            {
                tokens = [];
                state = null;
                return false;
            }

            AccountLocked(entry, -1);
            state = entry.State;
            entry.State = null;
        }

        tokens = entry.Tokens;
        if (state is null)
        {
            (tokens, state) = SequenceStateFile.Read(entry.File!, _layout, Buffers);
        }

        if (entry.OwnsFile && entry.File is { } file)
        {
            File.Delete(file);
        }

        return true;
    }

    /// <summary>
    /// Like <see cref="TryTake"/>, but a state that cannot be read here is dropped instead of
    /// thrown: the caller then evaluates the prompt in full, which gives the same answer.
    /// </summary>
    public bool TryTakeRestorable(string key, out int[] tokens, out NativeBuffer? state)
    {
        try
        {
            return TryTake(key, out tokens, out state);
        }
        catch (Exception exception) when (exception is SequenceStateException or IOException)
        {
            tokens = [];
            state = null;
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

    /// <summary>Writes the sequence saved under <paramref name="key"/> to <paramref name="path"/>, durably; false when there is none.</summary>
    public bool Export(string key, string path)
    {
        SavedSequence? entry;
        NativeBuffer? state;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry))
            {
                return false;
            }

            state = entry.State?.Acquire();
        }

        if (state is not null)
        {
            using (state)
            {
                SequenceStateFile.Write(path, _layout, entry.Key, entry.Tokens, state, durable: true);
            }
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

    /// <summary>Waits until background writes and reads have finished.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_background);
        }
    }

    public void Dispose()
    {
        Task pending;
        lock (_gate)
        {
            _disposed = true;
            pending = Task.WhenAll(_background);
        }

        pending.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
        lock (_gate)
        {
            foreach (var key in _entries.Keys.ToList())
            {
                RemoveLocked(key);
            }
        }

        Buffers.Dispose();
        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task Track(Task task)
    {
        _background.RemoveAll(done => done.IsCompleted);
        _background.Add(task);
        return task;
    }

    private void RemoveLocked(string key)
    {
        if (_entries.Remove(key, out var entry))
        {
            AccountLocked(entry, -1);
            entry.State?.Dispose();
            entry.State = null;
            if (entry.OwnsFile && entry.File is { } file)
            {
                File.Delete(file);
            }
        }
    }

    private void AccountLocked(SavedSequence entry, int sign)
    {
        if (entry.State is not null)
        {
            _memoryBytes += sign * entry.StateBytes;
        }

        if (entry.OwnsFile && entry.File is not null)
        {
            _diskBytes += sign * entry.StateBytes;
        }
    }

    private void Load(SavedSequence entry)
    {
        try
        {
            var (tokens, state) = SequenceStateFile.Read(entry.File!, _layout, Buffers);
            lock (_gate)
            {
                if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry) || entry.State is not null)
                {
                    state.Dispose();
                    return;
                }

                entry.Tokens = tokens;
                entry.State = state;
                entry.LastUsed = Stopwatch.GetTimestamp();
                _memoryBytes += entry.StateBytes;
            }
        }
        catch (Exception exception) when (exception is SequenceStateException or IOException)
        {
            // An unreadable state is dropped: the conversation's prompt is evaluated in full instead.
            lock (_gate)
            {
                if (_entries.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry))
                {
                    RemoveLocked(entry.Key);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                entry.Loading = null;
            }
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

            if (victim.File is not null)
            {
                // Read back from a file that is still there: dropping the RAM copy is enough.
                _memoryBytes -= victim.StateBytes;
                victim.State!.Dispose();
                victim.State = null;
                continue;
            }

            victim.Spilling = true;
            spilling += victim.StateBytes;
            var state = victim.State!.Acquire();
            Track(Task.Run(() => Spill(victim, state)));
        }
    }

    private void Spill(SavedSequence entry, NativeBuffer state)
    {
        using (state)
        {
            var path = Path.Combine(_directory, SequenceStateFile.FileNameFor(entry.Key + "#" + entry.LastUsed));
            try
            {
                // A spill is a cache for this process only: no flush to disk.
                SequenceStateFile.Write(path, _layout, entry.Key, entry.Tokens, state, durable: false);
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
                if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry) || entry.State is null)
                {
                    File.Delete(path);
                    return;
                }

                _memoryBytes -= entry.StateBytes;
                entry.State.Dispose();
                entry.State = null;
                entry.File = path;
                entry.OwnsFile = true;
                _diskBytes += entry.StateBytes;
                DropOverDiskBudgetLocked();
            }
        }
    }

    private void DropOverDiskBudgetLocked()
    {
        foreach (var victim in _entries.Values.Where(entry => entry.State is null && entry.OwnsFile && entry.Loading is null).OrderBy(entry => entry.LastUsed).ToList())
        {
            if (_diskBytes <= _diskBudget)
            {
                break;
            }

            RemoveLocked(victim.Key);
        }
    }
}
