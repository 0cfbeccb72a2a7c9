using System.Security.Cryptography;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.TestModels;

[Collection(TestModelCollection.Name)]
public sealed class TestModelBuilderTests(TestModelFixture models)
{
    [Theory]
    [InlineData(LlamaFileType.MostlyF16)]
    [InlineData(LlamaFileType.Q8_0)]
    public void Write_SameSeedTwice_WritesIdenticalBytes(LlamaFileType type)
    {
        var first = Path.Combine(models.Folder, $"first-{type}.gguf");
        var second = Path.Combine(models.Folder, $"second-{type}.gguf");

        TestModelBuilder.Write(first, TestModelShape.Tiny, type, seed: 9);
        TestModelBuilder.Write(second, TestModelShape.Tiny, type, seed: 9);

        Assert.Equal(Hash(first), Hash(second));
    }

    [Fact]
    public void Write_OtherSeed_WritesOtherWeights() =>
        Assert.NotEqual(Hash(models.Write(LlamaFileType.MostlyF16, seed: 1)), Hash(models.Write(LlamaFileType.MostlyF16, seed: 2)));

    [Fact]
    public void Write_Tiny_IsALlamaModelWithARealTokenizerAndChatTemplate()
    {
        var gguf = GgufReader.Read(models.TinyPath);

        Assert.Equal("llama", gguf.Architecture);
        Assert.Equal(LlamaFileType.MostlyF16, gguf.FileType);
        Assert.Equal(32000, gguf["tokenizer.ggml.tokens"].ArrayLength);
        Assert.Contains("<|im_start|>", gguf["tokenizer.chat_template"].AsString(), StringComparison.Ordinal);
        Assert.InRange(new FileInfo(models.TinyPath).Length, 1 << 20, 16 << 20);
    }

    [Fact]
    public void Write_Q4KM_IsSmallerThanF16AndSaysItsType()
    {
        var quantized = models.Write(LlamaFileType.Q4_K_M);

        Assert.Equal(LlamaFileType.Q4_K_M, GgufReader.Read(quantized).FileType);
        Assert.True(new FileInfo(quantized).Length < new FileInfo(models.TinyPath).Length);
    }

    [Fact]
    public void Parse_UnknownShape_ThrowsListingTheKnownOnes()
    {
        var exception = Assert.Throws<ArgumentException>(() => TestModelShape.Parse("huge"));

        Assert.Contains("smollm2-360m", exception.Message, StringComparison.Ordinal);
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
