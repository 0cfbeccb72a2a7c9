using System.Text.RegularExpressions;

namespace ModelRunner.Distribution.HuggingFace;

/// <summary>
/// Picks the GGUF file(s) of a Hub repository for a quantization tag, as Docker Model Runner does: the tag
/// (<c>Q4_K_M</c>, <c>q8_0</c>, case-insensitive) must appear in the file name between separators (<c>-</c>,
/// <c>.</c>, <c>_</c>, <c>/</c>); <c>latest</c> picks <see cref="DefaultQuantization"/> when present, else the first
/// file by name. All shards of a split file come along, in order. Multimodal projector files are skipped. Unlike
/// Docker Model Runner, a quantization the repository does not have is an error listing what it has, not a silent
/// fallback to another.
/// </summary>
internal static partial class GgufFileSelector
{
    public const string DefaultQuantization = "Q4_K_M";

    public static IReadOnlyList<HubFile> Select(IReadOnlyList<HubFile> files, string? tag, string repository)
    {
        var candidates = files
            .Where(f => f.Rfilename is { } name && name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
                && !name.Contains("mmproj", StringComparison.OrdinalIgnoreCase) && IsSafePath(name))
            .OrderBy(f => f.Rfilename, StringComparer.Ordinal)
            .ToArray();
        if (candidates.Length == 0)
        {
            throw new UnsupportedArtifactException($"hf.co/{repository} has no GGUF file; this runner runs GGUF models with llama.cpp");
        }

        var groups = candidates.GroupBy(f => ShardPattern().Replace(f.Rfilename!, ""), StringComparer.Ordinal).ToArray();
        var wanted = tag is null or "latest" or "main" ? null : tag;
        var group = wanted is not null
            ? groups.FirstOrDefault(g => HasQuantization(g.Key, wanted))
                ?? throw new ModelNotFoundException(
                    $"hf.co/{repository} has no GGUF file for quantization '{wanted}'; it has {string.Join(", ", groups.Select(g => g.Key))}", remote: true)
            : groups.FirstOrDefault(g => HasQuantization(g.Key, DefaultQuantization)) ?? groups[0];
        return [.. group];
    }

    private static bool HasQuantization(string name, string quantization)
    {
        var lower = name.ToLowerInvariant();
        var quant = quantization.ToLowerInvariant();
        if (lower.EndsWith(".gguf", StringComparison.Ordinal))
        {
            lower = lower[..^5];
        }

        for (var at = lower.IndexOf(quant, StringComparison.Ordinal); at >= 0; at = lower.IndexOf(quant, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || IsSeparator(lower[at - 1]);
            var end = at + quant.Length;
            if (before && (end == lower.Length || IsSeparator(lower[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSeparator(char c) => c is '-' or '.' or '_' or '/';

    // Names come from the Hub; they only ever form URLs, but one that climbs out of its repository is refused anyway.
    private static bool IsSafePath(string name) =>
        !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal) && name.Split('/').All(s => s is not ("" or "." or ".."));

    [GeneratedRegex(@"-\d{5}-of-\d{5}(?=\.gguf\z)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShardPattern();
}
