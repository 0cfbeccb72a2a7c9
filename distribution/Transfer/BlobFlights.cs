using System.Collections.Concurrent;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// One download per blob in this process: a pull that needs a blob another pull (of another reference sharing the
/// layer) is already downloading waits for that download instead of fighting over its partial file. Thread-safe.
/// </summary>
internal sealed class BlobFlights(BlobDownloader downloader)
{
    private readonly ConcurrentDictionary<OciDigest, Task> _flights = new();

    /// <summary>Makes sure the blob is in the store, downloading it with <paramref name="send"/> if nobody else is.</summary>
    public async Task EnsureAsync(BlobDescriptor blob, LocalModelStore store, RangeRequest send, TransferReporter reporter, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (store.HasBlob(blob.Digest, blob.Size))
            {
                reporter.Progress(blob.Digest, blob.Size);
                return;
            }

            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var flight = _flights.GetOrAdd(blob.Digest, mine.Task);
            if (flight != mine.Task)
            {
                try
                {
                    await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The other download failed or was cancelled by its own caller; this caller tries itself.
                }

                continue;
            }

            try
            {
                await downloader.DownloadAsync(blob, send, store.Layout, reporter, cancellationToken).ConfigureAwait(false);
                mine.SetResult();
                return;
            }
            catch (Exception e)
            {
                mine.SetException(e);

                // Nobody may be waiting; the caller gets the exception, so the flight's copy is not news.
                _ = mine.Task.Exception;
                throw;
            }
            finally
            {
                _flights.TryRemove(new KeyValuePair<OciDigest, Task>(blob.Digest, mine.Task));
            }
        }
    }
}
