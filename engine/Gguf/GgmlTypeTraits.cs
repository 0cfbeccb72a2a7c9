namespace ModelRunner.Engine.Gguf;

/// <summary>Block geometry of each <see cref="GgmlType"/>, as libggml reports it, and tensor sizes derived from it.</summary>
public static class GgmlTypeTraits
{
    /// <summary>ggml's limit on tensor rank (GGML_MAX_DIMS).</summary>
    internal const int MaxDimensions = 4;

    /// <summary>Whether <paramref name="type"/> is a ggml type this build knows the block geometry of.</summary>
    public static bool IsKnown(GgmlType type) => Traits(type).BlockSize != 0;

    /// <summary>The number of elements in one block of <paramref name="type"/> (1 for unquantized types).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known ggml type.</exception>
    public static int BlockSize(GgmlType type) => Known(type).BlockSize;

    /// <summary>The number of bytes one block of <paramref name="type"/> takes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known ggml type.</exception>
    public static int TypeSize(GgmlType type) => Known(type).TypeSize;

    /// <summary>The number of bytes a row of <paramref name="elements"/> elements of <paramref name="type"/> takes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is unknown or <paramref name="elements"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="elements"/> is not a multiple of the block size.</exception>
    /// <exception cref="OverflowException">The byte count does not fit in a <see cref="long"/>.</exception>
    public static long RowSize(GgmlType type, long elements)
    {
        var (blockSize, typeSize) = Known(type);
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        if (elements % blockSize != 0)
        {
            throw new ArgumentException($"{elements} elements is not a multiple of the {type} block size {blockSize}.", nameof(elements));
        }

        return checked(elements / blockSize * typeSize);
    }

    /// <summary>
    /// The number of bytes a tensor of <paramref name="type"/> with <paramref name="dims"/> takes: whole rows of
    /// <c>dims[0]</c> elements, times the other dimensions, as ggml lays tensors out.
    /// </summary>
    /// <exception cref="ArgumentException">There are not 1 to 4 dimensions, one is not positive, or the first is not a multiple of the block size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known ggml type.</exception>
    /// <exception cref="OverflowException">The byte count does not fit in a <see cref="long"/>.</exception>
    public static long TensorBytes(GgmlType type, IReadOnlyList<long> dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Count is < 1 or > MaxDimensions)
        {
            throw new ArgumentException($"A tensor has 1 to {MaxDimensions} dimensions, not {dims.Count}.", nameof(dims));
        }

        if (dims.Any(d => d <= 0))
        {
            throw new ArgumentException($"Tensor dimensions must be positive: [{string.Join(", ", dims)}].", nameof(dims));
        }

        var bytes = RowSize(type, dims[0]);
        for (var i = 1; i < dims.Count; i++)
        {
            bytes = checked(bytes * dims[i]);
        }

        return bytes;
    }

    private static (int BlockSize, int TypeSize) Known(GgmlType type) =>
        IsKnown(type) ? Traits(type) : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a known ggml type.");

    // Measured from libggml (ggml_blck_size / ggml_type_size); (0, 0) marks a removed or unknown type.
    private static (int BlockSize, int TypeSize) Traits(GgmlType type) => type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.Q4_0 => (32, 18),
        GgmlType.Q4_1 => (32, 20),
        GgmlType.Q5_0 => (32, 22),
        GgmlType.Q5_1 => (32, 24),
        GgmlType.Q8_0 => (32, 34),
        GgmlType.Q8_1 => (32, 36),
        GgmlType.Q2_K => (256, 84),
        GgmlType.Q3_K => (256, 110),
        GgmlType.Q4_K => (256, 144),
        GgmlType.Q5_K => (256, 176),
        GgmlType.Q6_K => (256, 210),
        GgmlType.Q8_K => (256, 292),
        GgmlType.IQ2_XXS => (256, 66),
        GgmlType.IQ2_XS => (256, 74),
        GgmlType.IQ3_XXS => (256, 98),
        GgmlType.IQ1_S => (256, 50),
        GgmlType.IQ4_NL => (32, 18),
        GgmlType.IQ3_S => (256, 110),
        GgmlType.IQ2_S => (256, 82),
        GgmlType.IQ4_XS => (256, 136),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.F64 => (1, 8),
        GgmlType.IQ1_M => (256, 56),
        GgmlType.BF16 => (1, 2),
        GgmlType.TQ1_0 => (256, 54),
        GgmlType.TQ2_0 => (256, 66),
        GgmlType.MXFP4 => (32, 17),
        GgmlType.NVFP4 => (64, 36),
        GgmlType.Q1_0 => (128, 18),
        GgmlType.Q2_0 => (64, 18),
        _ => (0, 0),
    };
}
