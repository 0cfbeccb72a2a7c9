using System.Numerics;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// The metadata and tensor table of a GGUF file, as <see cref="GgufReader"/> read them. The tensor data is not
/// loaded; it lies at <see cref="DataOffset"/> + <see cref="GgufTensorInfo.Offset"/> in the file.
/// </summary>
public sealed class GgufFile
{
    /// <summary>The metadata key that holds the model architecture, e.g. "llama".</summary>
    public const string ArchitectureKey = "general.architecture";

    /// <summary>The metadata key that holds the <see cref="LlamaFileType"/>.</summary>
    public const string FileTypeKey = "general.file_type";

    /// <summary>The metadata key that holds the data alignment when it is not <see cref="DefaultAlignment"/>.</summary>
    public const string AlignmentKey = "general.alignment";

    /// <summary>The alignment of the tensor data when the file does not set <c>general.alignment</c>.</summary>
    public const uint DefaultAlignment = 32;

    private readonly Dictionary<string, GgufValue> _byKey;

    internal GgufFile(
        uint version,
        uint alignment,
        IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        long dataOffset,
        long parameterCount,
        long tensorDataBytes)
    {
        Version = version;
        Alignment = alignment;
        Metadata = metadata;
        Tensors = tensors;
        DataOffset = dataOffset;
        ParameterCount = parameterCount;
        TensorDataBytes = tensorDataBytes;
        _byKey = new Dictionary<string, GgufValue>(metadata, StringComparer.Ordinal);
    }

    /// <summary>The format version: 2 or 3.</summary>
    public uint Version { get; }

    /// <summary>The data alignment in bytes: <c>general.alignment</c>, or 32 when the file does not set it.</summary>
    public uint Alignment { get; }

    /// <summary>Every metadata entry, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    /// <summary>Every tensor, in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>
    /// Where the tensor data section starts, in bytes from the start of the file: the end of the tensor table
    /// rounded up to <see cref="Alignment"/> (not rounded when there are no tensors, as in llama.cpp).
    /// </summary>
    public long DataOffset { get; }

    /// <summary>The total number of tensor elements, i.e. model parameters.</summary>
    public long ParameterCount { get; }

    /// <summary>The total size of the tensors' data in bytes, excluding alignment padding.</summary>
    public long TensorDataBytes { get; }

    /// <summary><c>general.architecture</c>, or <see langword="null"/> when absent.</summary>
    public string? Architecture => GetStringOrNull(ArchitectureKey);

    /// <summary><c>general.file_type</c>, or <see langword="null"/> when absent.</summary>
    public LlamaFileType? FileType => GetInt64OrNull(FileTypeKey) is { } fileType ? (LlamaFileType)fileType : null;

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such key.</exception>
    public GgufValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The GGUF file has no metadata key '{key}'.");

    /// <summary>Looks up <paramref name="key"/>; keys are compared ordinally.</summary>
    public bool TryGetValue(string key, out GgufValue value) => _byKey.TryGetValue(key, out value!);

    /// <summary>The string value of <paramref name="key"/>, or <see langword="null"/> when the key is absent.</summary>
    /// <exception cref="InvalidOperationException">The key holds something other than a string.</exception>
    public string? GetStringOrNull(string key) => TryGetValue(key, out var value) ? value.AsString() : null;

    /// <summary>The integer value of <paramref name="key"/>, or <see langword="null"/> when the key is absent.</summary>
    /// <exception cref="InvalidOperationException">The key holds something other than an integer, or a UInt64 above <see cref="long.MaxValue"/>.</exception>
    public long? GetInt64OrNull(string key) => TryGetValue(key, out var value) ? value.AsInt64() : null;

    /// <summary>
    /// What is wrong with <paramref name="value"/> for a key this class interprets, or <see langword="null"/> when
    /// it is fine. The reader and the writer both check, so the convenience properties above never throw.
    /// </summary>
    internal static string? WellKnownKeyProblem(string key, GgufValue value) => key switch
    {
        AlignmentKey when value.Type != GgufValueType.UInt32 => $"{key} is {value.Type}; it must be UInt32",
        AlignmentKey when !BitOperations.IsPow2(value.AsUInt64()) => $"{key} {value.AsUInt64()} is not a power of two",
        ArchitectureKey when value.Type != GgufValueType.String => $"{key} is {value.Type}; it must be String",
        FileTypeKey when !FitsUInt32(value) => $"{key} is {value}; it must be an integer from 0 to {uint.MaxValue}",
        _ => null,
    };

    private static bool FitsUInt32(GgufValue value) => value.Type switch
    {
        GgufValueType.UInt8 or GgufValueType.UInt16 or GgufValueType.UInt32 or GgufValueType.UInt64 => value.AsUInt64() <= uint.MaxValue,
        GgufValueType.Int8 or GgufValueType.Int16 or GgufValueType.Int32 or GgufValueType.Int64 => value.AsInt64() is >= 0 and <= uint.MaxValue,
        _ => false,
    };
}
