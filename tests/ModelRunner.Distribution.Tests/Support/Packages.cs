using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>Shortcuts for packaging tiny models.</summary>
public static class Packages
{
    /// <summary>A fixed creation time, so the same files give the same model id in every run.</summary>
    public static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static Task<LocalModel> PackageTinyAsync(this IModelDistribution distribution, string tag, ulong seed = 1, int? contextSize = null) =>
        distribution.PackageAsync(new PackageRequest { GgufPaths = [TinyModels.Path(seed)], Tags = [tag], ContextSize = contextSize, Created = Created });
}
