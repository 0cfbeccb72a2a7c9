namespace ModelRunner.Engine.Gguf;

/// <summary>One entry of a GGUF tensor table.</summary>
/// <param name="Name">The tensor's name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Type">The element type.</param>
/// <param name="Dimensions">1 to 4 dimensions, innermost (row length) first, as ggml orders them.</param>
/// <param name="Offset">Where the data starts, relative to <see cref="GgufFile.DataOffset"/>.</param>
public sealed record GgufTensorInfo(string Name, GgmlType Type, IReadOnlyList<long> Dimensions, ulong Offset)
{
    /// <summary>1 to 4 dimensions, innermost first; a read-only copy of what was passed in.</summary>
    public IReadOnlyList<long> Dimensions { get; init; } = [.. Dimensions ?? throw new ArgumentNullException(nameof(Dimensions))];

    /// <summary>The number of elements: the product of <see cref="Dimensions"/>.</summary>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long ElementCount => Dimensions.Aggregate(1L, (product, d) => checked(product * d));

    /// <summary>The number of bytes of tensor data, from <see cref="GgmlTypeTraits.TensorBytes"/>.</summary>
    /// <exception cref="ArgumentException">The dimensions are not valid for <see cref="Type"/>.</exception>
    public long ByteSize => GgmlTypeTraits.TensorBytes(Type, Dimensions);

    /// <summary>Equal when name, type, offset and every dimension are equal.</summary>
    public bool Equals(GgufTensorInfo? other) =>
        other is not null
        && Name == other.Name
        && Type == other.Type
        && Offset == other.Offset
        && Dimensions.SequenceEqual(other.Dimensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Type, Offset, Dimensions.Count);

    /// <summary>For logs and test failures, e.g. <c>output.weight Q6_K [4096 x 32000] @ 1234</c>.</summary>
    public override string ToString() => $"{Name} {Type} [{string.Join(" x ", Dimensions)}] @ {Offset}";
}
