using System.Globalization;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Distribution.Artifacts;

/// <summary>
/// Fills a <see cref="ModelConfig"/> from GGUF headers the way Docker Model Runner does: architecture, quantization,
/// parameter count and size in short units, the metadata as strings, and the trained context length.
/// </summary>
internal static class GgufConfigBuilder
{
    // Arrays longer than this (token lists, merges) are left out of the gguf map: they are megabytes of noise.
    private const int MaxArrayElements = 50;

    /// <summary>The config of the model whose shards are <paramref name="paths"/>, in order.</summary>
    /// <exception cref="GgufFormatException">A file is not a valid GGUF file.</exception>
    public static ModelConfig Build(IReadOnlyList<string> paths, int? contextSize = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count);
        var first = GgufReader.Read(paths[0]);
        var parameters = first.ParameterCount;
        var bytes = new FileInfo(paths[0]).Length;
        foreach (var shard in paths.Skip(1))
        {
            parameters += GgufReader.Read(shard).ParameterCount;
            bytes += new FileInfo(shard).Length;
        }

        var architecture = first.Architecture;
        long? trainedContext = null;
        if (architecture is not null && first.TryGetValue($"{architecture}.context_length", out var length) && IsInteger(length.Type))
        {
            trainedContext = length.AsInt64();
        }

        return new ModelConfig
        {
            Format = "gguf",
            Quantization = first.FileType?.ToDisplayName(),
            Parameters = FormatCount(parameters),
            Architecture = architecture,
            Size = FormatBytes(bytes),
            Gguf = Metadata(first),
            ContextSize = contextSize ?? (trainedContext is > 0 and <= int.MaxValue ? (int)trainedContext : null),
        };
    }

    /// <summary>A count in decimal units with two decimals, e.g. <c>361.82M</c>.</summary>
    public static string FormatCount(long count) => count switch
    {
        >= 1_000_000_000_000 => Format(count / 1e12, "T"),
        >= 1_000_000_000 => Format(count / 1e9, "B"),
        >= 1_000_000 => Format(count / 1e6, "M"),
        >= 1_000 => Format(count / 1e3, "K"),
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A size in binary units with two decimals, e.g. <c>256.35MiB</c>.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 40 => Format(bytes / (double)(1L << 40), "TiB"),
        >= 1L << 30 => Format(bytes / (double)(1L << 30), "GiB"),
        >= 1L << 20 => Format(bytes / (double)(1L << 20), "MiB"),
        >= 1L << 10 => Format(bytes / (double)(1L << 10), "KiB"),
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "B",
    };

    private static string Format(double value, string unit) => value.ToString("F2", CultureInfo.InvariantCulture) + unit;

    private static SortedDictionary<string, string> Metadata(GgufFile file)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
        {
            if (value.Type == GgufValueType.Array && value.ArrayLength > MaxArrayElements)
            {
                continue;
            }

            map[key] = Text(value);
        }

        return map;
    }

    private static string Text(GgufValue value) => value.Type switch
    {
        GgufValueType.String => value.AsString(),
        GgufValueType.Bool => value.AsBool() ? "true" : "false",
        GgufValueType.Float32 or GgufValueType.Float64 => value.AsDouble().ToString("F6", CultureInfo.InvariantCulture),
        GgufValueType.UInt64 => value.AsUInt64().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Array => ArrayText(value),
        _ => value.AsInt64().ToString(CultureInfo.InvariantCulture),
    };

    private static string ArrayText(GgufValue value)
    {
        IEnumerable<string> items = value.ElementType switch
        {
            GgufValueType.String => value.AsArray<string>(),
            GgufValueType.Bool => value.AsArray<bool>().Select(b => b ? "true" : "false"),
            GgufValueType.Float32 => value.AsArray<float>().Select(f => f.ToString("F6", CultureInfo.InvariantCulture)),
            GgufValueType.Float64 => value.AsArray<double>().Select(f => f.ToString("F6", CultureInfo.InvariantCulture)),
            GgufValueType.UInt8 => value.AsArray<byte>().Select(Invariant),
            GgufValueType.Int8 => value.AsArray<sbyte>().Select(Invariant),
            GgufValueType.UInt16 => value.AsArray<ushort>().Select(Invariant),
            GgufValueType.Int16 => value.AsArray<short>().Select(Invariant),
            GgufValueType.UInt32 => value.AsArray<uint>().Select(Invariant),
            GgufValueType.Int32 => value.AsArray<int>().Select(Invariant),
            GgufValueType.UInt64 => value.AsArray<ulong>().Select(Invariant),
            GgufValueType.Int64 => value.AsArray<long>().Select(Invariant),
            // Nested arrays have no useful one-line form.
            _ => [],
        };
        return string.Join(", ", items);
    }

    private static string Invariant<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static bool IsInteger(GgufValueType type) => type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16
        or GgufValueType.Int16 or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;
}
