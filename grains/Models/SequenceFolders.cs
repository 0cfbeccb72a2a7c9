using Microsoft.Extensions.Options;
using ModelRunner.Silo.Hosting;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Where each model keeps its conversations' saved KV state between loads:
/// <c>&lt;data directory&gt;/sequences/&lt;model id hex&gt;/</c>.
/// </summary>
public sealed class SequenceFolders(IOptions<NodeOptions> node)
{
    public string For(string modelId) =>
        Path.Combine(node.Value.DataDirectory, "sequences", modelId.Replace("sha256:", "", StringComparison.Ordinal));
}
