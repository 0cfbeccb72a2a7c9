using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Models;

/// <summary>llama-server's <c>--cache-ram</c> sets the RAM a model keeps for conversations that lost their sequence.</summary>
public sealed class CacheRamFlagTests
{
    [Theory]
    [InlineData("64", 64L << 20)]
    [InlineData("0", 0L)]
    [InlineData("-1", long.MaxValue)]
    public void CacheRam_MiB_IsTheEnginesSavedSequenceMemory(string value, long expected) =>
        Assert.Equal(expected, RuntimeFlags.Parse(["--cache-ram", value]).ToEngineOptions(512).SavedSequenceMemoryBytes);

    [Fact]
    public void NoCacheRam_KeepsTheEnginesDefault() =>
        Assert.Equal(new EngineOptions().SavedSequenceMemoryBytes, RuntimeFlags.Parse(["--parallel", "2"]).ToEngineOptions(512).SavedSequenceMemoryBytes);

    [Theory]
    [InlineData("-2")]
    [InlineData("lots")]
    [InlineData("1.5")]
    public void CacheRam_NotAWholeNumberOfMiBOrMinusOne_IsRefusedNamingTheFlag(string value)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeFlags.Parse(["--cache-ram", value]));
        Assert.Contains("--cache-ram", error.Message, StringComparison.Ordinal);
    }
}
