using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Transfer;

/// <summary>Refuses a download the disk cannot hold before a byte is written, so a full disk fails fast and cleanly.</summary>
internal static class StoreSpace
{
    /// <exception cref="StorageFullException">The free space is less than what the missing blobs need.</exception>
    public static void EnsureRoomFor(LocalModelStore store, IEnumerable<BlobDescriptor> blobs, string what)
    {
        long needed = 0;
        foreach (var blob in blobs)
        {
            if (store.HasBlob(blob.Digest, blob.Size))
            {
                continue;
            }

            var partial = new FileInfo(store.Layout.PartialPath(blob.Digest));
            needed += blob.Size - (partial.Exists ? Math.Min(partial.Length, blob.Size) : 0);
        }

        if (StorageErrors.FreeBytes(store.RootPath) is { } free && free < needed)
        {
            throw new StorageFullException(
                $"{what} needs {Mib(needed)} MiB more in the model store at {store.RootPath}, but only {Mib(free)} MiB are free; free some space and try again");
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
