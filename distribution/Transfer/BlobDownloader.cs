using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.IO;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// Downloads one blob into the store: streamed through SHA-256 into <c>&lt;digest&gt;.incomplete</c>, resumed from that
/// file's length with a <c>Range</c> request (only a 206 whose <c>Content-Range</c> starts exactly there is appended;
/// anything else restarts from 0), retried with backoff after cut or stalled connections, verified against the
/// descriptor's digest and size, synced, and only then renamed to its final name. The partial file is held with an
/// exclusive lock, so two processes never write it at once. A digest mismatch or a full disk deletes it.
/// </summary>
internal sealed class BlobDownloader
{
    // Large chunks keep per-chunk overhead (hand-offs between threads, system calls, progress) negligible at
    // gigabytes per second; measured on loopback, 1 MiB is where it stops mattering.
    private const int ChunkBytes = 1024 * 1024;

    // How much is written before asking the kernel to start putting it on disk (see FileSync.StartWriteback).
    private const long WritebackBytes = 16 * 1024 * 1024;

    // Chunks received but not yet hashed; enough to ride out a slow moment on either side.
    private const int PipelineDepth = 4;

    private readonly TransferSettings _settings;

    public BlobDownloader(TransferSettings settings) => _settings = settings;

    /// <exception cref="DigestMismatchException">The content does not match the descriptor; nothing is kept.</exception>
    /// <exception cref="StorageFullException">The disk filled up; nothing is kept.</exception>
    /// <exception cref="DistributionException">Retries were exhausted, or another process is downloading the same blob.</exception>
    public async Task DownloadAsync(BlobDescriptor blob, RangeRequest send, StoreLayout layout, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var partialPath = layout.PartialPath(blob.Digest);
        var download = Open(partialPath, blob);
        var keepPartial = true;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var state = new DownloadState(download, hash);
            await ResumeAsync(state, blob, reporter, cancellationToken).ConfigureAwait(false);

            var failures = 0;
            for (var attempt = 1; state.Offset < blob.Size; attempt++)
            {
                var before = state.Offset;
                try
                {
                    await AttemptAsync(state, blob, send, reporter, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (Retry.IsTransient(e, cancellationToken))
                {
                    failures = state.Offset > before ? 0 : failures + 1;
                    if (failures > _settings.MaxRetries || attempt >= TransferSettings.MaxAttemptsInAll)
                    {
                        throw new DistributionException($"downloading {blob.Digest} failed after {attempt} attempts: {Retry.Describe(e)}", e);
                    }

                    reporter.Warning($"{blob.Digest.ShortId}: {Retry.Describe(e)} after {state.Offset} of {blob.Size} bytes; resuming");
                    if (failures > 0)
                    {
                        await Task.Delay(_settings.Backoff(failures), _settings.Time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var actual = OciDigest(hash.GetHashAndReset());
            if (actual != blob.Digest.Hex)
            {
                keepPartial = false;
                throw new DigestMismatchException($"blob {blob.Digest} arrived with the wrong content: its {blob.Size} bytes hash to sha256:{actual}; nothing was stored");
            }

            Sync(download, layout);
        }
        catch (StorageFullException)
        {
            keepPartial = false;
            throw;
        }
        catch (DigestMismatchException)
        {
            keepPartial = false;
            throw;
        }
        finally
        {
            await download.DisposeAsync().ConfigureAwait(false);
            if (!keepPartial)
            {
                AtomicFile.TryDelete(partialPath);
            }
        }

        AtomicFile.Commit(partialPath, layout.BlobPath(blob.Digest));
        reporter.Progress(blob.Digest, blob.Size);
    }

    private static FileStream Open(string partialPath, BlobDescriptor blob)
    {
        try
        {
            return new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            throw StorageErrors.DiskFull(StoreRootOf(partialPath), blob.Digest.ToString(), e);
        }
        catch (IOException e) when (File.Exists(partialPath))
        {
            throw new DistributionException($"blob {blob.Digest} is being downloaded by another process (its partial file {partialPath} is locked); wait for it or stop it", e);
        }
    }

    /// <summary>Re-hashes what an earlier, interrupted download left, so it can continue from there.</summary>
    private static async Task ResumeAsync(DownloadState state, BlobDescriptor blob, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var length = state.File.Length;
        if (length == 0)
        {
            return;
        }

        if (length > blob.Size)
        {
            Truncate(state);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            state.File.Position = 0;
            long done = 0;
            while (done < length)
            {
                var read = await state.File.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                state.Hash.AppendData(buffer, 0, read);
                done += read;
            }

            state.Offset = done;
            state.WrittenBack = done;
            state.File.Position = done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        reporter.Status($"Resuming {blob.Digest.ShortId} from {state.Offset} of {blob.Size} bytes");
        reporter.Progress(blob.Digest, state.Offset);
    }

    private async Task AttemptAsync(DownloadState state, BlobDescriptor blob, RangeRequest send, TransferReporter reporter, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_settings.StallTimeout);
        using var response = await send(state.Offset, stall.Token).ConfigureAwait(false);
        stall.CancelAfter(Timeout.InfiniteTimeSpan);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The server will not serve from where we are: start again from the first byte.
            Truncate(state);
            throw new TransientTransferException("the server refused to resume (416)");
        }

        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range is not { HasRange: true, From: { } from } || from != state.Offset || (range.Length is { } total && total != blob.Size))
            {
                Truncate(state);
                throw new TransientTransferException($"the server answered a resume at {state.Offset} with range '{range}'; restarting from 0");
            }
        }
        else if (state.Offset > 0)
        {
            // A plain 200: the server ignored the Range header and sends the whole blob.
            Truncate(state);
        }

        if (response.Content.Headers.ContentLength is { } length && state.Offset + length != blob.Size)
        {
            throw new DigestMismatchException($"blob {blob.Digest} is {blob.Size} bytes according to its descriptor, but the server sends {state.Offset + length}");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await CopyAsync(body, state, blob, reporter, stall).ConfigureAwait(false);
        }

        if (state.Offset < blob.Size)
        {
            throw new TransientTransferException($"the connection closed after {state.Offset} of {blob.Size} bytes");
        }
    }

    /// <summary>
    /// Copies the body in two stages on two threads: one receives from the network and writes to the file, the other
    /// hashes what was written, so receiving and hashing (the two costly parts) overlap instead of adding up. Bytes
    /// that arrived before the connection broke are written and hashed before the failure is reported.
    /// </summary>
    private async Task CopyAsync(Stream body, DownloadState state, BlobDescriptor blob, TransferReporter reporter, CancellationTokenSource stall)
    {
        var written = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(PipelineDepth) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var chunks = Enumerable.Range(0, PipelineDepth + 2).Select(_ => new Chunk()).ToArray();
        foreach (var chunk in chunks)
        {
            free.Writer.TryWrite(chunk);
        }

        var receiver = Task.Run(() => ReceiveAsync(body, state, blob, reporter, stall, free.Reader, written.Writer));
        try
        {
            await foreach (var chunk in written.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                state.Hash.AppendData(chunk.Buffer, 0, chunk.Count);
                free.Writer.TryWrite(chunk);
            }
        }
        finally
        {
            // The receiver ends first (it completes the channel); only then may the buffers go back to the pool.
            await receiver.ConfigureAwait(false);
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }
        }
    }

    private async Task ReceiveAsync(
        Stream body, DownloadState state, BlobDescriptor blob, TransferReporter reporter, CancellationTokenSource stall, ChannelReader<Chunk> free, ChannelWriter<Chunk> written)
    {
        try
        {
            while (true)
            {
                var chunk = await free.ReadAsync().ConfigureAwait(false);
                await ReadAsync(body, chunk, stall).ConfigureAwait(false);
                var error = chunk.Error;
                if (chunk.Count > 0)
                {
                    if (state.Offset + chunk.Count > blob.Size)
                    {
                        throw new DigestMismatchException($"blob {blob.Digest} has more bytes than the {blob.Size} its descriptor gives");
                    }

                    Write(state, chunk, blob);
                    await written.WriteAsync(chunk).ConfigureAwait(false);
                    reporter.Progress(blob.Digest, state.Offset);
                }

                error?.Throw();
                if (chunk.Count == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            written.Complete();
        }
    }

    /// <summary>
    /// Fills a chunk (less at the end of the body). A failure after some
    /// bytes arrived is kept in the chunk rather than thrown, so those bytes are written before the failure counts.
    /// </summary>
    private async Task ReadAsync(Stream body, Chunk chunk, CancellationTokenSource stall)
    {
        chunk.Count = 0;
        chunk.Error = null;
        try
        {
            while (chunk.Count < ChunkBytes)
            {
                stall.CancelAfter(_settings.StallTimeout);
                var read = await body.ReadAsync(chunk.Buffer.AsMemory(chunk.Count, ChunkBytes - chunk.Count), stall.Token).ConfigureAwait(false);

                // The timer measures silence from the network only, not time spent writing to disk.
                stall.CancelAfter(Timeout.InfiniteTimeSpan);
                if (read == 0)
                {
                    break;
                }

                chunk.Count += read;
            }
        }
        catch (Exception e) when (chunk.Count > 0 && e is IOException or OperationCanceledException or HttpRequestException)
        {
            chunk.Error = ExceptionDispatchInfo.Capture(e);
        }
    }

    private static void Write(DownloadState state, Chunk chunk, BlobDescriptor blob)
    {
        try
        {
            RandomAccess.Write(state.File.SafeFileHandle, chunk.Buffer.AsSpan(0, chunk.Count), state.Offset);
            state.Offset += chunk.Count;
            if (state.Offset - state.WrittenBack >= WritebackBytes)
            {
                FileSync.StartWriteback(state.File.SafeFileHandle, state.WrittenBack, state.Offset - state.WrittenBack);
                state.WrittenBack = state.Offset;
            }
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            throw StorageErrors.DiskFull(StoreRootOf(state.File.Name), blob.Digest.ToString(), e);
        }
        catch (IOException e)
        {
            throw new DistributionException($"writing blob {blob.Digest} to {state.File.Name} failed: {e.Message}", e);
        }
    }

    private static void Sync(FileStream file, StoreLayout layout)
    {
        try
        {
            file.Flush(flushToDisk: true);
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            throw StorageErrors.DiskFull(layout.Root, Path.GetFileName(file.Name), e);
        }
    }

    private static void Truncate(DownloadState state)
    {
        state.File.SetLength(0);
        state.File.Position = 0;
        state.Hash.GetHashAndReset();
        state.Offset = 0;
        state.WrittenBack = 0;
    }

    private static string OciDigest(byte[] hash) => Convert.ToHexStringLower(hash);

    // blobs/sha256/<hex>.incomplete → the store root, for error messages about free space.
    private static string StoreRootOf(string partialPath) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(partialPath)!, "..", ".."));

    /// <summary>A pooled read buffer, how much of it holds data, and the failure that ended the read, if any.</summary>
    private sealed class Chunk : IDisposable
    {
        public byte[] Buffer { get; } = ArrayPool<byte>.Shared.Rent(ChunkBytes);

        public int Count { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    private sealed class DownloadState(FileStream file, IncrementalHash hash)
    {
        public FileStream File { get; } = file;

        public IncrementalHash Hash { get; } = hash;

        public long Offset { get; set; }

        /// <summary>Where the range not yet handed to <see cref="FileSync.StartWriteback"/> starts.</summary>
        public long WrittenBack { get; set; }
    }
}
