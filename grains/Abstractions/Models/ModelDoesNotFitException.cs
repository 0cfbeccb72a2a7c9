namespace ModelRunner.Grains.Models;

/// <summary>A model needs more memory than the node can free for it (HTTP 507).</summary>
[GenerateSerializer, Alias("modelrunner.model-does-not-fit")]
public sealed class ModelDoesNotFitException : Exception
{
    public ModelDoesNotFitException(string model, string memory, long neededBytes, long availableBytes)
        : base($"model {model} does not fit: it needs {Bytes(neededBytes)} of {memory}, and at most {Bytes(availableBytes)} can be made available (models in use are never unloaded for it)")
    {
        NeededBytes = neededBytes;
        AvailableBytes = availableBytes;
    }

    public ModelDoesNotFitException()
    {
    }

    public ModelDoesNotFitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public long NeededBytes { get; private set; }

    [Id(1)]
    public long AvailableBytes { get; private set; }

    private static string Bytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : $"{bytes / (double)(1L << 20):F1} MiB";
}
