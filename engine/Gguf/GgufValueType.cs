namespace ModelRunner.Engine.Gguf;

/// <summary>The type tag of a GGUF metadata value (<c>gguf_type</c>), stored as a uint32 in the file.</summary>
public enum GgufValueType : uint
{
    /// <summary>An unsigned 8-bit integer.</summary>
    UInt8 = 0,

    /// <summary>A signed 8-bit integer.</summary>
    Int8 = 1,

    /// <summary>An unsigned 16-bit integer.</summary>
    UInt16 = 2,

    /// <summary>A signed 16-bit integer.</summary>
    Int16 = 3,

    /// <summary>An unsigned 32-bit integer.</summary>
    UInt32 = 4,

    /// <summary>A signed 32-bit integer.</summary>
    Int32 = 5,

    /// <summary>An IEEE 754 single-precision float.</summary>
    Float32 = 6,

    /// <summary>A boolean stored as one byte, 0 or 1.</summary>
    Bool = 7,

    /// <summary>A UTF-8 string: uint64 byte length, then the bytes, no terminator.</summary>
    String = 8,

    /// <summary>An array: uint32 element type, uint64 count, then the elements.</summary>
    Array = 9,

    /// <summary>An unsigned 64-bit integer.</summary>
    UInt64 = 10,

    /// <summary>A signed 64-bit integer.</summary>
    Int64 = 11,

    /// <summary>An IEEE 754 double-precision float.</summary>
    Float64 = 12,
}
