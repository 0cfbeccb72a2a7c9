using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>Shortcuts shared by the GGUF tests.</summary>
internal static class GgufTestData
{
    /// <summary>A llama.cpp vocabulary-only GGUF that the build copies to the test output: llama-spm, starcoder or bert-bge.</summary>
    public static string VocabPath(string name) => Path.Combine(AppContext.BaseDirectory, "llama", "vocab", $"ggml-vocab-{name}.gguf");

    public static byte[] ToBytes(this GgufWriter writer)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    public static GgufFile Read(byte[] bytes) => GgufReader.Read(new MemoryStream(bytes, writable: false));

    public static GgufFormatException ReadFails(byte[] bytes) => Assert.Throws<GgufFormatException>(() => Read(bytes));

    /// <summary>A writer holding one metadata entry <c>value</c>.</summary>
    public static GgufWriter WriterWith(GgufValue value)
    {
        var writer = new GgufWriter();
        writer.Set("value", value);
        return writer;
    }

    /// <summary>
    /// A small file using every value type, a nested array, non-ASCII text, and two tensors. The last tensor's data
    /// is exactly 32 bytes, so the file ends on data rather than on padding and every shorter prefix is invalid.
    /// </summary>
    public static byte[] SmallCompleteFile()
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("llama"));
        writer.Set("general.file_type", GgufValue.UInt32((uint)LlamaFileType.Q8_0));
        writer.Set("u8", GgufValue.UInt8(200));
        writer.Set("i8", GgufValue.Int8(-100));
        writer.Set("u16", GgufValue.UInt16(60000));
        writer.Set("i16", GgufValue.Int16(-30000));
        writer.Set("i32", GgufValue.Int32(-7));
        writer.Set("f32", GgufValue.Float32(0.5f));
        writer.Set("bool", GgufValue.Bool(true));
        writer.Set("u64", GgufValue.UInt64(ulong.MaxValue));
        writer.Set("i64", GgufValue.Int64(long.MinValue));
        writer.Set("f64", GgufValue.Float64(Math.PI));
        writer.Set("tokens", GgufValue.Array(GgufValueType.String, new[] { "<s>", "héllo", "🦙" }));
        writer.Set("scores", GgufValue.Array(GgufValueType.Float32, new[] { 0f, -1.5f }));
        writer.Set("nested", GgufValue.Array(GgufValueType.Array, new[]
        {
            GgufValue.Array(GgufValueType.Int32, new[] { 1, 2 }),
            GgufValue.Array(GgufValueType.Bool, new[] { false }),
        }));
        writer.AddTensor("a", GgmlType.F32, [3], new byte[12]);
        writer.AddTensor("b", GgmlType.F16, [4, 4], Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        return writer.ToBytes();
    }
}
