namespace ModelRunner.Distribution.Store;

/// <summary>Disk usage of the store, as <c>docker model df</c> reports it.</summary>
/// <param name="Models">The number of models in the index.</param>
/// <param name="ModelBytes">The bytes of the manifests and blobs the models use, each blob counted once.</param>
/// <param name="IncompleteBytes">The bytes of interrupted downloads kept for resuming.</param>
/// <param name="OtherBytes">Anything else: blobs no model uses yet (a pull in progress) or any more.</param>
public sealed record StoreUsage(int Models, long ModelBytes, long IncompleteBytes, long OtherBytes)
{
    /// <summary>Everything under the store's root.</summary>
    public long TotalBytes => ModelBytes + IncompleteBytes + OtherBytes;
}
