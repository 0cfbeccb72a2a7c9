using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Transfer;

/// <summary>
/// One progress event of a pull, push or package. It maps directly onto Docker Model Runner's JSON lines
/// (<c>{type, message, total, layer:{id, size, current}}</c>) and Ollama's <c>/api/pull</c> lines
/// (<c>{status, digest, total, completed}</c>). Progress events are throttled per layer; the last one of each layer
/// has <c>Current == Size</c>.
/// </summary>
/// <param name="Kind">What the event reports.</param>
/// <param name="Message">A line for people, e.g. "Downloaded 12.5 of 256.4 MiB".</param>
/// <param name="Total">The bytes of all blobs the transfer moves (0 until the manifest is known).</param>
/// <param name="Completed">Bytes done across all blobs.</param>
/// <param name="Layer">The blob a progress event is about.</param>
/// <param name="Model">On success of a pull or package: the model as stored.</param>
public sealed record TransferEvent(TransferEventKind Kind, string Message, long Total, long Completed, LayerProgress? Layer = null, LocalModel? Model = null);
