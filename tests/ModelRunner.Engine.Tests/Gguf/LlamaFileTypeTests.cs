using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Tests.Gguf;

public class LlamaFileTypeTests
{
    [Theory]
    [InlineData(LlamaFileType.AllF32, 0u)]
    [InlineData(LlamaFileType.MostlyF16, 1u)]
    [InlineData(LlamaFileType.Q8_0, 7u)]
    [InlineData(LlamaFileType.Q4_K_M, 15u)]
    [InlineData(LlamaFileType.IQ4_XS, 30u)]
    [InlineData(LlamaFileType.MostlyBF16, 32u)]
    [InlineData(LlamaFileType.TQ1_0, 36u)]
    [InlineData(LlamaFileType.Q2_0, 41u)]
    [InlineData(LlamaFileType.Guessed, 1024u)]
    public void Values_MatchLlamaH(LlamaFileType fileType, uint expected) => Assert.Equal(expected, (uint)fileType);

    [Theory]
    [InlineData(LlamaFileType.AllF32, "F32")]
    [InlineData(LlamaFileType.MostlyF16, "F16")]
    [InlineData(LlamaFileType.MostlyBF16, "BF16")]
    [InlineData(LlamaFileType.Q4_0, "Q4_0")]
    [InlineData(LlamaFileType.Q8_0, "Q8_0")]
    [InlineData(LlamaFileType.Q4_K_M, "Q4_K_M")]
    [InlineData(LlamaFileType.Q5_K_S, "Q5_K_S")]
    [InlineData(LlamaFileType.Q6_K, "Q6_K")]
    [InlineData(LlamaFileType.IQ2_XXS, "IQ2_XXS")]
    [InlineData(LlamaFileType.MXFP4_MOE, "MXFP4_MOE")]
    [InlineData(LlamaFileType.Guessed, "GUESSED")]
    public void ToDisplayName_KnownType_IsTheCommonName(LlamaFileType fileType, string expected) =>
        Assert.Equal(expected, fileType.ToDisplayName());

    [Fact]
    public void ToDisplayName_GuessedFlag_AddsSuffix() =>
        Assert.Equal("Q4_K_M (guessed)", (LlamaFileType.Q4_K_M | LlamaFileType.Guessed).ToDisplayName());

    [Fact]
    public void ToDisplayName_UnknownValue_SaysUnknownWithoutThrowing() =>
        Assert.Equal("unknown (4)", ((LlamaFileType)4).ToDisplayName());
}
