using System.Buffers.Binary;
using System.Text;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>Writes GGUF bytes field by field, so tests can build files the real writer would refuse to produce.</summary>
internal sealed class RawGguf
{
    private readonly List<byte> _bytes = [];

    public long Length => _bytes.Count;

    public static RawGguf Header(ulong tensorCount, ulong metadataCount, uint version = 3) =>
        new RawGguf().Bytes("GGUF"u8).U32(version).U64(tensorCount).U64(metadataCount);

    public RawGguf Bytes(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public RawGguf U8(byte value) => Bytes([value]);

    public RawGguf U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Bytes(bytes);
    }

    public RawGguf U64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Bytes(bytes);
    }

    public RawGguf I64(long value) => U64((ulong)value);

    public RawGguf Str(string value) => StrBytes(Encoding.UTF8.GetBytes(value));

    public RawGguf StrBytes(byte[] utf8) => U64((ulong)utf8.Length).Bytes(utf8);

    /// <summary>A metadata key and value type; the value follows with further calls.</summary>
    public RawGguf Key(string key, GgufValueType type) => Str(key).U32((uint)type);

    public RawGguf TensorInfo(string name, GgmlType type, ulong offset, params long[] dims)
    {
        Str(name).U32((uint)dims.Length);
        foreach (var d in dims)
        {
            I64(d);
        }

        return U32((uint)type).U64(offset);
    }

    public RawGguf Zeros(long count) => Bytes(new byte[count]);

    public RawGguf PadTo(int alignment) => Zeros((alignment - (Length % alignment)) % alignment);

    public byte[] ToArray() => [.. _bytes];
}
