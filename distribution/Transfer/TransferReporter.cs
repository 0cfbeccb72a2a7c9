using System.Globalization;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// Turns byte counts from parallel blob transfers into <see cref="TransferEvent"/>s: keeps the totals, and throttles
/// progress to one event per layer per interval (plus the first and last of each layer), so a fast download
/// does not flood a client with JSON lines. Thread-safe; the sink is called under a lock, in order.
/// </summary>
internal sealed class TransferReporter
{
    private readonly Action<TransferEvent> _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly string _verb;
    private readonly Lock _gate = new();
    private readonly Dictionary<OciDigest, Layer> _layers = [];
    private long _total;
    private long _completed;

    public TransferReporter(Action<TransferEvent> sink, TimeProvider time, TimeSpan interval, string verb)
    {
        _sink = sink;
        _time = time;
        _interval = interval;
        _verb = verb;
    }

    public void Status(string message) => Emit(TransferEventKind.Status, message, null);

    public void Warning(string message) => Emit(TransferEventKind.Warning, message, null);

    public void Success(string message, LocalModel? model)
    {
        lock (_gate)
        {
            _sink(new TransferEvent(TransferEventKind.Success, message, _total, _completed, null, model));
        }
    }

    /// <summary>Counts a blob into the total; its progress starts at 0.</summary>
    public void AddLayer(BlobDescriptor blob)
    {
        lock (_gate)
        {
            if (_layers.TryAdd(blob.Digest, new Layer(blob.MediaType, blob.Size)))
            {
                _total += blob.Size;
            }
        }
    }

    /// <summary>Reports that <paramref name="current"/> bytes of a blob are done (absolute, not a delta).</summary>
    public void Progress(OciDigest digest, long current)
    {
        lock (_gate)
        {
            if (!_layers.TryGetValue(digest, out var layer))
            {
                return;
            }

            _completed += current - layer.Current;
            layer.Current = current;
            var now = _time.GetTimestamp();
            var last = current >= layer.Size;
            if (!last && layer.LastEmitted is { } previous && _time.GetElapsedTime(previous, now) < _interval)
            {
                return;
            }

            if (last && layer.Finished)
            {
                return;
            }

            layer.LastEmitted = now;
            layer.Finished = last;
            var message = $"{_verb} {MiB(_completed)} of {MiB(_total)} MiB";
            _sink(new TransferEvent(TransferEventKind.Progress, message, _total, _completed, new LayerProgress(digest.ToString(), layer.MediaType, layer.Size, current)));
        }
    }

    private void Emit(TransferEventKind kind, string message, LayerProgress? layer)
    {
        lock (_gate)
        {
            _sink(new TransferEvent(kind, message, _total, _completed, layer));
        }
    }

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);

    private sealed class Layer(string mediaType, long size)
    {
        public string MediaType { get; } = mediaType;

        public long Size { get; } = size;

        public long Current { get; set; }

        public long? LastEmitted { get; set; }

        public bool Finished { get; set; }
    }
}
