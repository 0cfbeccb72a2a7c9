using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Cli.Client;

/// <summary>
/// A transfer this process runs itself (a push from <c>package</c>) as the JSON lines the server streams for its
/// own, so <see cref="TransferProgress"/> shows both the same way.
/// </summary>
internal static class TransferLines
{
    public static async IAsyncEnumerable<string> FromAsync(IAsyncEnumerable<TransferEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var transfer in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var line = new JsonObject
            {
                ["type"] = transfer.Kind switch
                {
                    TransferEventKind.Success => "success",
                    TransferEventKind.Warning => "warning",
                    _ => "progress",
                },
                ["message"] = transfer.Message,
                ["total"] = transfer.Total,
            };
            if (transfer.Layer is { } layer)
            {
                line["layer"] = new JsonObject { ["id"] = layer.Digest, ["size"] = layer.Size, ["current"] = layer.Current };
            }

            yield return line.ToJsonString();
        }
    }
}
