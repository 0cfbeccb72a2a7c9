using System.Net;
using ModelRunner.Distribution;

namespace ModelRunner.Cli.Client;

/// <summary>
/// A request body that is a stored model as a tar archive, written as it is sent (chunked): a model of any size goes
/// to <c>POST /models/load</c> without a copy on disk or in memory.
/// </summary>
internal sealed class ModelArchiveContent : HttpContent
{
    private readonly IModelDistribution _distribution;
    private readonly string _reference;

    public ModelArchiveContent(IModelDistribution distribution, string reference)
    {
        _distribution = distribution;
        _reference = reference;
        Headers.ContentType = new("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _distribution.ExportAsync(_reference, stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
