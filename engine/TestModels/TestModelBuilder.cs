using System.Buffers.Binary;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Native;
using ModelRunner.Engine.Quantization;

namespace ModelRunner.Engine.TestModels;

/// <summary>
/// Writes random-weight GGUF models (llama decoders with a chat template, BERT encoders) with
/// a real tokenizer, so tests and benchmarks run real llama.cpp without downloading weights. The same
/// shape, type and seed always give the same bytes. Thread-safe.
/// </summary>
public static class TestModelBuilder
{
    /// <summary>The types a test model can be written as.</summary>
    public static IReadOnlyList<LlamaFileType> Types { get; } = [LlamaFileType.AllF32, LlamaFileType.MostlyF16, LlamaFileType.Q8_0, LlamaFileType.Q4_K_M];

    // ChatML, written as the Jinja template a Hugging Face tokenizer would carry; llama.cpp
    // recognises the family from its markers and formats it natively.
    private const string ChatMlTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    // ChatML whose generation prompt opens the model's thinking, as reasoning models' templates do.
    private const string ThinkingChatMlTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}";

    /// <summary>
    /// Writes a model to <paramref name="path"/>, atomically. Quantized types are written as F16
    /// first and quantized by llama.cpp.
    /// </summary>
    /// <param name="path">The GGUF file to write.</param>
    /// <param name="shape">The dimensions and tokenizer.</param>
    /// <param name="type">F32, F16 (default), Q8_0 or Q4_K_M.</param>
    /// <param name="seed">Seed of the weights (default 1).</param>
    /// <exception cref="ArgumentException">The type is not one of <see cref="Types"/>.</exception>
    /// <exception cref="FileNotFoundException">The tokenizer's vocabulary file is not installed.</exception>
    public static void Write(string path, TestModelShape shape, LlamaFileType type = LlamaFileType.MostlyF16, ulong seed = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        if (!Types.Contains(type))
        {
            throw new ArgumentException($"a test model can be {string.Join(", ", Types.Select(t => t.ToDisplayName()))}, not {type.ToDisplayName()}", nameof(type));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (type is LlamaFileType.AllF32 or LlamaFileType.MostlyF16)
        {
            CreateWriter(shape, type, seed).WriteToFile(path);
            return;
        }

        var unquantized = path + ".f16.partial";
        try
        {
            CreateWriter(shape, LlamaFileType.MostlyF16, seed).WriteToFile(unquantized);
            ModelQuantizer.Quantize(unquantized, path, type);
        }
        finally
        {
            File.Delete(unquantized);
        }
    }

    private static GgufWriter CreateWriter(TestModelShape shape, LlamaFileType type, ulong seed)
    {
        var vocabularyPath = Path.Combine(LlamaLibrary.RootDirectory, "vocab", shape.Vocabulary);
        if (!File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"the tokenizer for '{shape.Name}' is missing: {vocabularyPath} (eng/fetch-llama.sh installs it)", vocabularyPath);
        }

        var vocabulary = GgufReader.Read(vocabularyPath);
        var tokens = vocabulary["tokenizer.ggml.tokens"].ArrayLength;
        var architecture = shape.Architecture;
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String(architecture));
        writer.Set("general.name", GgufValue.String($"modelrunner-test-{shape.Name}"));
        writer.Set("general.description", GgufValue.String("Random weights for tests and benchmarks: its output is gibberish by design."));
        writer.Set("general.file_type", GgufValue.UInt32((uint)type));
        writer.Set($"{architecture}.context_length", GgufValue.UInt32((uint)shape.ContextLength));
        writer.Set($"{architecture}.embedding_length", GgufValue.UInt32((uint)shape.EmbeddingLength));
        writer.Set($"{architecture}.block_count", GgufValue.UInt32((uint)shape.LayerCount));
        writer.Set($"{architecture}.feed_forward_length", GgufValue.UInt32((uint)shape.FeedForwardLength));
        writer.Set($"{architecture}.attention.head_count", GgufValue.UInt32((uint)shape.HeadCount));
        writer.Set($"{architecture}.attention.head_count_kv", GgufValue.UInt32((uint)shape.KvHeadCount));
        writer.Set($"{architecture}.vocab_size", GgufValue.UInt32((uint)tokens));
        if (architecture == "bert")
        {
            writer.Set("bert.attention.layer_norm_epsilon", GgufValue.Float32(1e-12f));
            writer.Set("bert.attention.causal", GgufValue.Bool(false));
            // Rank pooling (4) makes llama.cpp run the classification head; mean pooling (1) gives embeddings.
            writer.Set("bert.pooling_type", GgufValue.UInt32(shape.ClassifierHead ? 4u : 1u));
        }
        else
        {
            writer.Set("llama.attention.layer_norm_rms_epsilon", GgufValue.Float32(1e-5f));
            writer.Set("llama.rope.freq_base", GgufValue.Float32(shape.RopeFreqBase));
            writer.Set("llama.rope.dimension_count", GgufValue.UInt32((uint)shape.HeadSize));
        }

        foreach (var (key, value) in vocabulary.Metadata.Where(entry => entry.Key.StartsWith("tokenizer.", StringComparison.Ordinal)))
        {
            writer.Set(key, value);
        }

        if (architecture == "llama")
        {
            writer.Set("tokenizer.chat_template", GgufValue.String(shape.OpensThinking ? ThinkingChatMlTemplate : ChatMlTemplate));
        }

        var tensors = new TensorFactory(writer, type == LlamaFileType.AllF32 ? GgmlType.F32 : GgmlType.F16, seed);
        if (architecture == "bert")
        {
            AddBertTensors(tensors, shape, tokens);
        }
        else
        {
            AddLlamaTensors(tensors, shape, tokens);
        }

        return writer;
    }

    private static void AddLlamaTensors(TensorFactory tensors, TestModelShape shape, long tokens)
    {
        var e = shape.EmbeddingLength;
        var kv = shape.KvHeadCount * shape.HeadSize;
        tensors.Matrix("token_embd.weight", e, tokens);
        tensors.Ones("output_norm.weight", e);
        for (var layer = 0; layer < shape.LayerCount; layer++)
        {
            var block = $"blk.{layer}.";
            tensors.Ones(block + "attn_norm.weight", e);
            tensors.Matrix(block + "attn_q.weight", e, e);
            tensors.Matrix(block + "attn_k.weight", e, kv);
            tensors.Matrix(block + "attn_v.weight", e, kv);
            tensors.Matrix(block + "attn_output.weight", e, e);
            tensors.Ones(block + "ffn_norm.weight", e);
            tensors.Matrix(block + "ffn_gate.weight", e, shape.FeedForwardLength);
            tensors.Matrix(block + "ffn_up.weight", e, shape.FeedForwardLength);
            tensors.Matrix(block + "ffn_down.weight", shape.FeedForwardLength, e);
        }
    }

    private static void AddBertTensors(TensorFactory tensors, TestModelShape shape, long tokens)
    {
        var e = shape.EmbeddingLength;
        var ff = shape.FeedForwardLength;
        tensors.Matrix("token_embd.weight", e, tokens);
        tensors.Matrix("position_embd.weight", e, shape.ContextLength);
        tensors.Norm("token_embd_norm", e);
        for (var layer = 0; layer < shape.LayerCount; layer++)
        {
            var block = $"blk.{layer}.";
            foreach (var projection in (string[])["attn_q", "attn_k", "attn_v", "attn_output"])
            {
                tensors.Matrix(block + projection + ".weight", e, e);
                tensors.Zeros(block + projection + ".bias", e);
            }

            tensors.Norm(block + "attn_output_norm", e);
            tensors.Matrix(block + "ffn_up.weight", e, ff);
            tensors.Zeros(block + "ffn_up.bias", ff);
            tensors.Matrix(block + "ffn_down.weight", ff, e);
            tensors.Zeros(block + "ffn_down.bias", e);
            tensors.Norm(block + "layer_output_norm", e);
        }

        if (shape.ClassifierHead)
        {
            // What llama.cpp's BERT graph reads for rank pooling: a dense layer (tanh) over the
            // first token's state, then the output projection; one output unless labels say more.
            tensors.Matrix("cls.weight", e, e);
            tensors.Random("cls.bias", e);
            tensors.Matrix("cls.output.weight", e, 1);
            tensors.Random("cls.output.bias", 1);
        }
    }

    /// <summary>Adds tensors of random, constant or zero values, each seeded by its position so the file is reproducible.</summary>
    private sealed class TensorFactory(GgufWriter writer, GgmlType matrixType, ulong seed)
    {
        private ulong _index;

        public void Matrix(string name, long inputs, long outputs) =>
            writer.AddTensor(name, matrixType, [inputs, outputs], RandomData(matrixType, inputs * outputs, 1 / MathF.Sqrt(inputs), Mix(seed, _index++)));

        /// <summary>A random F32 vector (biases that make every head's output depend on the seed).</summary>
        public void Random(string name, long count) =>
            writer.AddTensor(name, GgmlType.F32, [count], RandomData(GgmlType.F32, count, 0.5f, Mix(seed, _index++)));

        public void Ones(string name, long count) => writer.AddTensor(name, GgmlType.F32, [count], Constant(count, 1f));

        public void Zeros(string name, long count) => writer.AddTensor(name, GgmlType.F32, [count], Constant(count, 0f));

        /// <summary>A layer norm: weight ones, bias zeros.</summary>
        public void Norm(string name, long count)
        {
            Ones(name + ".weight", count);
            Zeros(name + ".bias", count);
        }
    }

    private static Action<Stream> Constant(long count, float value) => stream =>
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        for (var i = 0; i < count; i++)
        {
            stream.Write(bytes);
        }
    };

    /// <summary>Uniform values in ±<paramref name="scale"/>·√3 (standard deviation = scale), streamed in chunks.</summary>
    private static Action<Stream> RandomData(GgmlType type, long count, float scale, ulong seed) => stream =>
    {
        var state = seed;
        var width = type == GgmlType.F32 ? 4 : 2;
        var chunk = new byte[64 * 1024 * width];
        var amplitude = scale * MathF.Sqrt(3);
        for (long done = 0; done < count;)
        {
            var n = (int)Math.Min(count - done, chunk.Length / width);
            for (var i = 0; i < n; i++)
            {
                var value = (NextUnit(ref state) * 2 - 1) * amplitude;
                if (width == 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * 4), value);
                }
                else
                {
                    BinaryPrimitives.WriteHalfLittleEndian(chunk.AsSpan(i * 2), (Half)value);
                }
            }

            stream.Write(chunk, 0, n * width);
            done += n;
        }
    };

    /// <summary>SplitMix64 step mapped to [0, 1): fast, seedable, and identical on every platform.</summary>
    private static float NextUnit(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 40) * (1f / (1 << 24));
    }

    private static ulong Mix(ulong seed, ulong index) => seed * 0x9E3779B97F4A7C15UL ^ (index + 1) * 0xD1B54A32D192ED03UL;
}
