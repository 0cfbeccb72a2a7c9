using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Where each model keeps its conversations' saved KV state between loads:
/// <c>&lt;data directory&gt;/sequences/&lt;model id hex&gt;[-replica]/</c>: a conversation's KV
/// belongs to the replica it runs on.
/// </summary>
public sealed class SequenceFolders(IOptions<NodeOptions> node)
{
    public string For(string modelKey) =>
        Path.Combine(node.Value.DataDirectory, "sequences", modelKey.Replace("sha256:", "", StringComparison.Ordinal).Replace('#', '-'));
}
