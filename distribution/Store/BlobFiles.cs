using System.Security.Cryptography;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Store;

/// <summary>
/// The blob files, named by the SHA-256 of their content. A blob appears only whole and verified: it
/// is written to a temporary file, hashed on the way, fsynced and renamed into place, so a crash
/// leaves at most a temporary file (deleted when the store next opens) or a download's partial file
/// (kept, to resume from). Thread-safe: each write has a temporary file of its own.
/// </summary>
internal sealed class BlobFiles(StoreLayout layout)
{
    private const int CopyBufferBytes = 1024 * 1024;

    /// <summary>Is the blob complete in the store (present with the expected size)?</summary>
    public bool Has(OciDigest digest, long size) => Length(layout.BlobPath(digest)) == size;

    public Stream? Open(OciDigest digest)
    {
        try
        {
            return new FileStream(layout.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes a small blob (a config) and returns its digest; a no-op when it is already there.</summary>
    public OciDigest Write(ReadOnlySpan<byte> content, BlobPins pins)
    {
        var digest = OciDigest.Compute(content);
        pins.Add(digest);
        var path = layout.BlobPath(digest);
        if (Length(path) != content.Length)
        {
            AtomicFile.Write(path, content, layout.NewTempPath(), layout.Root);
        }

        return digest;
    }

    /// <summary>
    /// Copies a stream into the store, hashing it on the way; with <paramref name="expected"/>, content that does not
    /// hash to it is discarded. The blob is pinned before it appears, so no garbage collection takes it meanwhile.
    /// </summary>
    /// <exception cref="DigestMismatchException">The content does not match <paramref name="expected"/>; nothing is stored.</exception>
    /// <exception cref="StorageFullException">The disk filled up; nothing of the copy is left.</exception>
    public async Task<(OciDigest Digest, long Size)> ImportAsync(Stream input, OciDigest? expected, string what, BlobPins pins, Action<long>? progress, CancellationToken cancellationToken)
    {
        var temp = layout.NewTempPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var buffer = new byte[CopyBufferBytes];
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    size += read;
                    progress?.Invoke(size);
                }

                output.Flush(flushToDisk: true);
            }

            var digest = OciDigest.FromHash(hash.GetHashAndReset());
            if (expected is not null && digest != expected)
            {
                throw new DigestMismatchException($"blob {expected} does not match its content, which hashes to {digest}; nothing was stored");
            }

            pins.Add(digest);
            AtomicFile.Commit(temp, layout.BlobPath(digest));
            return (digest, size);
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            AtomicFile.TryDelete(temp);
            throw StorageErrors.DiskFull(layout.Root, what, e);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public static async Task<OciDigest> HashFileAsync(string path, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return OciDigest.FromHash(hash.GetHashAndReset());
    }

    /// <summary>The file's length, or -1 when it does not exist.</summary>
    public static long Length(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : -1;
    }
}
