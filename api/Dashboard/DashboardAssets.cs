using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ModelRunner.Api.Dashboard;

/// <summary>
/// The dashboard's files (HTML, CSS, JavaScript, an icon), embedded in this assembly so the server
/// serves them offline with nothing to install or build. Read once; thread-safe.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>The file called <paramref name="name"/> (e.g. <c>app.js</c>), or null.</summary>
    public static Asset? Find(string name) => Files.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            files[name] = new Asset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>One file: its bytes, content type and an ETag from its hash.</summary>
    internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
