namespace ModelRunner.Grains.Admission;

/// <summary>A model needs more memory than the node can free for it (HTTP 507).</summary>
public sealed class ModelDoesNotFitException(string model, string memory, long neededBytes, long availableBytes)
    : Exception($"model {model} does not fit: it needs {Bytes(neededBytes)} of {memory}, and at most {Bytes(availableBytes)} can be made available (models in use are never unloaded for it)")
{
    public long NeededBytes { get; } = neededBytes;

    public long AvailableBytes { get; } = availableBytes;

    private static string Bytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : $"{bytes / (double)(1L << 20):F1} MiB";
}
