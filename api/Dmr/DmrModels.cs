using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Api.Dmr;

/// <summary>Models and transfers in DMR's shapes.</summary>
internal static class DmrModels
{
    public static DmrModel From(string id, IReadOnlyList<string> tags, DateTimeOffset? created, ModelConfig config, int? contextSize) =>
        new(id, tags, created?.ToUnixTimeSeconds() ?? 0, new DmrModelConfig(config.Format, config.Quantization, config.Parameters, config.Architecture, config.Size, config.Gguf, contextSize));

    public static ProgressLine Progress(TransferEvent transfer) => transfer.Kind switch
    {
        TransferEventKind.Success => new ProgressLine("success", transfer.Message),
        TransferEventKind.Warning => new ProgressLine("warning", transfer.Message),
        _ => new ProgressLine(
            "progress",
            transfer.Message,
            transfer.Total,
            transfer.Layer is { } layer ? new LayerLine(layer.Digest, layer.Size, layer.Current) : null),
    };
}
