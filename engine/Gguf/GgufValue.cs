using System.Collections;
using System.Globalization;
using System.Text;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// One immutable GGUF metadata value: a scalar, a string, or a typed array. Equality is by type and value
/// (arrays element by element), so a value read back from a file equals the value that was written.
/// </summary>
public sealed class GgufValue : IEquatable<GgufValue>
{
    /// <summary>The longest string, in UTF-8 bytes, that GGUF values, keys and names may hold here (16 MiB).</summary>
    public const int MaxStringBytes = 16 * 1024 * 1024;

    // Throws on unpaired surrogates instead of silently writing U+FFFD.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A boxed scalar, a string, or an array this instance owns (copied in, copied out), so values never change.
    private readonly object _value;

    private GgufValue(GgufValueType type, GgufValueType? elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        _value = value;
    }

    /// <summary>The value's type.</summary>
    public GgufValueType Type { get; }

    /// <summary>The element type when <see cref="Type"/> is <see cref="GgufValueType.Array"/>; otherwise <see langword="null"/>.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>The boxed scalar, string or array, for the writer; callers must not modify it.</summary>
    internal object RawValue => _value;

    /// <summary>The number of elements of an array value.</summary>
    /// <exception cref="InvalidOperationException">The value is not an array.</exception>
    public int ArrayLength => _value is System.Array array ? array.Length : throw Mismatch("an array");

    /// <summary>A string value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> has an unpaired surrogate or is over <see cref="MaxStringBytes"/> in UTF-8.</exception>
    public static GgufValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Utf8ByteCount(value, nameof(value));
        return new(GgufValueType.String, null, value);
    }

    /// <summary>An unsigned 8-bit value.</summary>
    public static GgufValue UInt8(byte value) => new(GgufValueType.UInt8, null, value);

    /// <summary>A signed 8-bit value.</summary>
    public static GgufValue Int8(sbyte value) => new(GgufValueType.Int8, null, value);

    /// <summary>An unsigned 16-bit value.</summary>
    public static GgufValue UInt16(ushort value) => new(GgufValueType.UInt16, null, value);

    /// <summary>A signed 16-bit value.</summary>
    public static GgufValue Int16(short value) => new(GgufValueType.Int16, null, value);

    /// <summary>An unsigned 32-bit value.</summary>
    public static GgufValue UInt32(uint value) => new(GgufValueType.UInt32, null, value);

    /// <summary>A signed 32-bit value.</summary>
    public static GgufValue Int32(int value) => new(GgufValueType.Int32, null, value);

    /// <summary>A 32-bit float value.</summary>
    public static GgufValue Float32(float value) => new(GgufValueType.Float32, null, value);

    /// <summary>A boolean value.</summary>
    public static GgufValue Bool(bool value) => new(GgufValueType.Bool, null, value);

    /// <summary>An unsigned 64-bit value.</summary>
    public static GgufValue UInt64(ulong value) => new(GgufValueType.UInt64, null, value);

    /// <summary>A signed 64-bit value.</summary>
    public static GgufValue Int64(long value) => new(GgufValueType.Int64, null, value);

    /// <summary>A 64-bit float value.</summary>
    public static GgufValue Float64(double value) => new(GgufValueType.Float64, null, value);

    /// <summary>
    /// An array of <paramref name="elementType"/>. <paramref name="values"/> must be the matching .NET array:
    /// string[], byte[], sbyte[], ushort[], short[], uint[], int[], float[], bool[], ulong[], long[], double[], or
    /// GgufValue[] of array values for <see cref="GgufValueType.Array"/>. The array is copied.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/>, or one of its strings or values, is null.</exception>
    /// <exception cref="ArgumentException">The array type does not match <paramref name="elementType"/>, a nested value is not an array, or a string is invalid as in <see cref="String"/>.</exception>
    public static GgufValue Array(GgufValueType elementType, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var expected = ClrArrayType(elementType);
        if (values.GetType() != expected)
        {
            throw new ArgumentException($"An array of {elementType} must be a {expected.Name}, not a {values.GetType().Name}.", nameof(values));
        }

        switch (values)
        {
            case string[] strings:
                foreach (var s in strings)
                {
                    ArgumentNullException.ThrowIfNull(s, nameof(values));
                    Utf8ByteCount(s, nameof(values));
                }

                break;
            case GgufValue[] nested when nested.Any(v => v is null || v.Type != GgufValueType.Array):
                throw new ArgumentException("Every element of an array of arrays must be a non-null array value.", nameof(values));
        }

        return new(GgufValueType.Array, elementType, values.Clone());
    }

    /// <summary>The string value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string AsString() => _value as string ?? throw Mismatch("a string");

    /// <summary>Any integer value as a <see cref="long"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer, or is a UInt64 above <see cref="long.MaxValue"/>.</exception>
    public long AsInt64() => _value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        ulong v => throw new InvalidOperationException($"The UInt64 value {v} does not fit in an Int64."),
        _ => throw Mismatch("an integer"),
    };

    /// <summary>Any integer value as a <see cref="ulong"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer, or is negative.</exception>
    public ulong AsUInt64() => _value switch
    {
        ulong v => v,
        _ when AsInt64() is var v and >= 0 => (ulong)v,
        _ => throw new InvalidOperationException($"The {Type} value {_value} is negative and does not fit in a UInt64."),
    };

    /// <summary>Any float or integer value as a <see cref="double"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double AsDouble() => _value switch
    {
        float v => v,
        double v => v,
        ulong v => v,
        byte or sbyte or ushort or short or uint or int or long => AsInt64(),
        _ => throw Mismatch("a number"),
    };

    /// <summary>The boolean value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public bool AsBool() => _value is bool v ? v : throw Mismatch("a boolean");

    /// <summary>A copy of the array's elements, as <c>T[]</c> for the element type listed in <see cref="Array"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is not an array whose elements are <typeparamref name="T"/>.</exception>
    public T[] AsArray<T>() =>
        // An exact type test: the runtime lets a uint[] pass as int[] (and byte[] as sbyte[]), which would
        // silently reinterpret the values.
        _value.GetType() == typeof(T[]) ? (T[])((T[])_value).Clone() : throw Mismatch($"an array of {typeof(T).Name}");

    /// <inheritdoc/>
    public bool Equals(GgufValue? other) =>
        other is not null
        && Type == other.Type
        && ElementType == other.ElementType
        && StructuralComparisons.StructuralEqualityComparer.Equals(_value, other._value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GgufValue);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Type, ElementType, StructuralComparisons.StructuralEqualityComparer.GetHashCode(_value));

    /// <summary>A short description for logs and test failures, e.g. <c>UInt32 42</c> or <c>Array of String [32000]</c>.</summary>
    public override string ToString() => _value switch
    {
        string s => $"String \"{(s.Length <= 60 ? s : s[..60] + "…")}\"",
        System.Array a => $"Array of {ElementType} [{a.Length}]",
        IFormattable f => $"{Type} {f.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"{Type} {_value}",
    };

    /// <summary>Wraps what the reader decoded, skipping the checks and the copy that public factories make.</summary>
    internal static GgufValue FromTrusted(GgufValueType type, GgufValueType? elementType, object value) => new(type, elementType, value);

    /// <summary>The .NET array type that holds elements of <paramref name="elementType"/>.</summary>
    internal static System.Type ClrArrayType(GgufValueType elementType) => elementType switch
    {
        GgufValueType.UInt8 => typeof(byte[]),
        GgufValueType.Int8 => typeof(sbyte[]),
        GgufValueType.UInt16 => typeof(ushort[]),
        GgufValueType.Int16 => typeof(short[]),
        GgufValueType.UInt32 => typeof(uint[]),
        GgufValueType.Int32 => typeof(int[]),
        GgufValueType.Float32 => typeof(float[]),
        GgufValueType.Bool => typeof(bool[]),
        GgufValueType.String => typeof(string[]),
        GgufValueType.Array => typeof(GgufValue[]),
        GgufValueType.UInt64 => typeof(ulong[]),
        GgufValueType.Int64 => typeof(long[]),
        GgufValueType.Float64 => typeof(double[]),
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Not a GGUF value type."),
    };

    /// <summary>
    /// The UTF-8 length of <paramref name="text"/>. An unpaired surrogate is refused, and the length limit keeps
    /// what we write readable by our own reader.
    /// </summary>
    internal static int Utf8ByteCount(string text, string paramName)
    {
        int count;
        try
        {
            count = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The string has an unpaired surrogate at index {e.Index} and cannot be encoded as UTF-8.", paramName, e);
        }

        return count <= MaxStringBytes
            ? count
            : throw new ArgumentException($"The string is {count} UTF-8 bytes, over the {MaxStringBytes / (1024 * 1024)} MiB limit for a GGUF string.", paramName);
    }

    private InvalidOperationException Mismatch(string wanted) =>
        new($"The GGUF value is {(Type == GgufValueType.Array ? $"an array of {ElementType}" : Type.ToString())}, not {wanted}.");
}
