using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Models;

/// <summary>llama-server's <c>--repack</c> / <c>--no-repack</c> choose whether llama.cpp repacks a model's weights for this CPU.</summary>
public sealed class RepackFlagTests
{
    [Theory]
    [InlineData(new[] { "--repack" }, true)]
    [InlineData(new[] { "--no-repack" }, false)]
    [InlineData(new[] { "--threads", "2" }, false)]
    [InlineData(new[] { "--no-repack", "--repack" }, true)]
    [InlineData(new[] { "--repack", "--no-repack" }, false)]
    public void Repack_TheLastFlagDecides_AndNoneKeepsBatchInvariantWeights(string[] flags, bool repacked) =>
        Assert.Equal(repacked, RuntimeFlags.Parse(flags).ToLoadOptions(chatTemplate: null).RepackWeights);

    [Theory]
    [InlineData("--repack=1")]
    [InlineData("--no-repack=yes")]
    public void Repack_WithAValue_IsRefusedNamingTheFlag(string flag)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeFlags.Parse([flag]));
        Assert.Contains("takes no value", error.Message, StringComparison.Ordinal);
        Assert.Contains(flag[..flag.IndexOf('=', StringComparison.Ordinal)], error.Message, StringComparison.Ordinal);
    }
}
