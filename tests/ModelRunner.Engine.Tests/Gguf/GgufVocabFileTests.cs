using ModelRunner.Engine.Gguf;
using static ModelRunner.Engine.Tests.Gguf.GgufTestData;

namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>Reads the vocabulary-only GGUF files that llama.cpp's own tests use, as llama.cpp's writer produced them.</summary>
public class GgufVocabFileTests
{
    [Theory]
    [InlineData("llama-spm", "llama", "llama", 32000)]
    [InlineData("starcoder", "starcoder2", "gpt2", 49152)]
    [InlineData("bert-bge", "bert", "bert", 30522)]
    public void Read_RealVocabFile_HasExpectedTokenizer(string name, string architecture, string tokenizer, int tokens)
    {
        var file = GgufReader.Read(VocabPath(name));

        Assert.Equal(3u, file.Version);
        Assert.Equal(architecture, file.Architecture);
        Assert.Equal(LlamaFileType.MostlyF16, file.FileType);
        Assert.Equal(tokenizer, file.GetStringOrNull("tokenizer.ggml.model"));
        Assert.Equal(tokens, file["tokenizer.ggml.tokens"].ArrayLength);
        Assert.Equal(tokens, file["tokenizer.ggml.token_type"].AsArray<int>().Length);
        Assert.Empty(file.Tensors);
        Assert.Equal(new FileInfo(VocabPath(name)).Length, file.DataOffset);
    }

    [Fact]
    public void Read_LlamaSpmVocab_TokensAndScoresLineUp()
    {
        var file = GgufReader.Read(VocabPath("llama-spm"));
        var tokens = file["tokenizer.ggml.tokens"].AsArray<string>();

        Assert.Equal(32000, tokens.Length);
        Assert.Equal(["<unk>", "<s>", "</s>"], tokens[..3]);
        Assert.Equal("<0x0A>", tokens[13]);
        Assert.Equal(32000, file["tokenizer.ggml.scores"].AsArray<float>().Length);
        Assert.True(file["tokenizer.ggml.add_bos_token"].AsBool());
        Assert.Equal(4096, file.GetInt64OrNull("llama.context_length"));
    }

    [Fact]
    public void Read_StarcoderVocab_HasMerges()
    {
        var file = GgufReader.Read(VocabPath("starcoder"));

        Assert.Equal(49152, file["tokenizer.ggml.tokens"].AsArray<string>().Length);
        Assert.Equal(48872, file["tokenizer.ggml.merges"].ArrayLength);
    }

    [Theory]
    [InlineData("llama-spm")]
    [InlineData("starcoder")]
    [InlineData("bert-bge")]
    public void WriteThenRead_RealVocabMetadata_IsEqual(string name)
    {
        var original = GgufReader.Read(VocabPath(name));
        var writer = new GgufWriter();
        foreach (var (key, value) in original.Metadata)
        {
            writer.Set(key, value);
        }

        var bytes = writer.ToBytes();
        var copy = Read(bytes);

        Assert.Equal(original.Metadata.Select(kv => kv.Key), copy.Metadata.Select(kv => kv.Key));
        Assert.All(original.Metadata, kv => Assert.True(kv.Value.Equals(copy[kv.Key]), $"{kv.Key} changed"));

        // llama.cpp wrote these files without tensors or trailing padding, and so do we: byte for byte the same.
        Assert.Equal(File.ReadAllBytes(VocabPath(name)), bytes);
    }
}
