using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Models;

[Collection(StoredModelsCollection.Name)]
public sealed class SpeculativeModelTests(StoredModels models)
{
    [Fact]
    public async Task Generate_WithADraftConfigured_SameTokensWithDraftCountsAndTheDraftsMemoryAdmitted()
    {
        // A model of its own (the weights of tiny-a), so other tests' settings never meet these.
        var target = models.Package("tiny-speculative", TestModelShape.Tiny, 1);
        await using var host = await GrainsHost.StartAsync(models);
        var request = ModelGrainTests.Request("The quick brown fox") with { MaxTokens = 40 };
        var plain = await CollectAsync(host.Model(target.Id).GenerateAsync(request));
        var plainMemory = host.Status(target.Id).MemoryBytes;

        await host.Settings.SetAsync(target.Id, new ModelSettings(RuntimeFlags: ["--model-draft", "ai/tiny-a", "--draft-max", "4", "--draft-p-min", "0"]));
        var speculated = await CollectAsync(host.Model(target.Id).GenerateAsync(request));

        Assert.Equal(plain.Tokens, speculated.Tokens);
        Assert.Equal(0, plain.Summary.DraftTokens);
        Assert.True(speculated.Summary.DraftTokens > 0, "nothing was drafted");
        Assert.True(speculated.Summary.DraftAcceptedTokens > 0, "the same weights never agreed");
        Assert.True(host.Status(target.Id).MemoryBytes > plainMemory, "the draft's memory was not counted");
        Assert.Equal(host.Admission.InUse.Memory, host.Status(target.Id).MemoryBytes);
    }

    [Fact]
    public async Task Load_DraftNotInTheStore_FailsNamingIt()
    {
        var target = models.Package("tiny-missing-draft", TestModelShape.Tiny, 1);
        await using var host = await GrainsHost.StartAsync(models);
        await host.Settings.SetAsync(target.Id, new ModelSettings(RuntimeFlags: ["--model-draft", "ai/no-such-draft"]));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.Model(target.Id).PreloadAsync());

        Assert.Contains("no-such-draft", error.Message, StringComparison.Ordinal);
        Assert.False(host.IsLoaded(target.Id));
        Assert.Equal(0, host.Admission.InUse.Memory);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../store/blob")]
    [InlineData("./model.gguf")]
    [InlineData("~/model.gguf")]
    public void Parse_DraftGivenAsAPath_IsRefused(string draft)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeFlags.Parse(["--model-draft", draft]));

        Assert.Contains("paths", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--draft-max", "0")]
    [InlineData("--draft-max", "65")]
    [InlineData("--draft-p-min", "1")]
    [InlineData("--draft-p-min", "-0.5")]
    public void Parse_DraftSettingOutOfRange_IsRefused(string flag, string value)
    {
        Assert.Throws<InvalidRequestException>(() => RuntimeFlags.Parse([flag, value]));
    }

    [Fact]
    public void Parse_DraftFlags_BecomeSpeculativeOptions()
    {
        var flags = RuntimeFlags.Parse(["--model-draft", "ai/smollm2:135M", "--draft-max=6", "--draft-p-min", "0.25"]);

        Assert.Equal(("ai/smollm2:135M", 6, 0.25), (flags.DraftModel, flags.DraftTokens, flags.DraftMinAcceptanceRate));
    }

    private static async Task<(List<int> Tokens, GenerationSummary Summary)> CollectAsync(IAsyncEnumerable<GenerationChunk> chunks)
    {
        var tokens = new List<int>();
        GenerationSummary? summary = null;
        await foreach (var chunk in chunks)
        {
            tokens.AddRange(chunk.Tokens);
            summary ??= chunk.Summary;
        }

        Assert.NotNull(summary);
        return (tokens, summary);
    }
}
