using System.Net;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// A request body read from part of a file, reporting the bytes sent (counted from the start of the file, so chunks
/// of one blob report one running total). The file is opened when the body is sent, so a request can be rebuilt
/// and sent again after an authentication challenge.
/// </summary>
internal sealed class FileRangeContent : HttpContent
{
    private const int BufferBytes = 1024 * 1024;

    private readonly string _path;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<long> _progress;

    public FileRangeContent(string path, long offset, long length, Action<long> progress)
    {
        _path = path;
        _offset = offset;
        _length = length;
        _progress = progress;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Position = _offset;
        var buffer = new byte[(int)Math.Min(BufferBytes, Math.Max(_length, 1))];
        long sent = 0;
        while (sent < _length)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _length - sent)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{_path} ended after {_offset + sent} bytes; it should have {_offset + _length}");
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            sent += read;
            _progress(_offset + sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
