using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Conversations;

[Collection(StoredModelsCollection.Name)]
public sealed class ConversationGrainTests(StoredModels models)
{
    private static readonly string[] Questions = ["Tell me about lighthouses.", "Why are they tall?", "Who keeps them?", "And at night?", "One more thing."];

    [Fact]
    public async Task SendAsync_AfterTheModelUnloads_RestoresSavedKvAndAnswersAsIfNeverUnloaded()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var expected = await UninterruptedAsync(host, turns: 4);
        var conversation = await CreateAsync(host);
        GenerationSummary? previous = null;
        for (var turn = 0; turn < 3; turn++)
        {
            previous = (await SendAsync(conversation, Questions[turn])).Summary;
        }

        await host.Model(models.A.Id).UnloadAsync();
        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the model should unload");
        var (text, result) = await SendAsync(conversation, Questions[3]);

        Assert.Equal(expected[3], text);
        Assert.Equal(Decoded(previous!), result.CachedPromptTokens);
    }

    [Fact]
    public async Task SendAsync_AfterARestart_ContinuesFromStorageWithItsKv()
    {
        var data = GrainsHost.NewDataDirectory();
        var id = "conv_" + Guid.NewGuid().ToString("N");
        List<string> expected;
        GenerationSummary previous;
        await using (var host = await GrainsHost.StartAsync(models, data))
        {
            expected = await UninterruptedAsync(host, turns: 3);
            var conversation = await CreateAsync(host, id);
            await SendAsync(conversation, Questions[0]);
            previous = (await SendAsync(conversation, Questions[1])).Summary;
        }

        await using var restarted = await GrainsHost.StartAsync(models, data);
        var again = restarted.Grains.GetGrain<IConversationGrain>(id);
        var items = await again.GetItemsAsync();
        var (text, result) = await SendAsync(again, Questions[2]);

        Assert.Equal(5, items.Count);
        Assert.Equal(expected[2], text);
        Assert.Equal(Decoded(previous), result.CachedPromptTokens);
    }

    [Fact]
    public async Task SendAsync_RecordsTheTurnAndTheAnswerAsItems()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var conversation = await CreateAsync(host);

        var (text, _) = await SendAsync(conversation, "Hello there");
        var items = await conversation.GetItemsAsync();

        Assert.Equal(["system", "user", "assistant"], items.Select(item => item.Role));
        Assert.Equal("Hello there", items[1].Content);
        Assert.Equal(text, items[2].Content);
        Assert.All(items, item => Assert.StartsWith("msg_", item.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_AbandonedHalfway_RecordsNothing()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var conversation = await CreateAsync(host);

        await foreach (var update in conversation.SendAsync(new ConversationTurn([new PromptMessage("user", "Go on")], new ModelRequest(ModelPrompt.Raw("")) { MaxTokens = 200 })))
        {
            break;
        }

        Assert.Single(await conversation.GetItemsAsync());
    }

    [Fact]
    public async Task DeleteAsync_RemovesItsStateAndSavedKv()
    {
        await using var host = await GrainsHost.StartAsync(models);
        var id = "conv_" + Guid.NewGuid().ToString("N");
        var conversation = await CreateAsync(host, id);
        await SendAsync(conversation, "Remember this.");
        await host.Model(models.A.Id).UnloadAsync();
        await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the model should unload");
        var saved = InferenceEngine.SavedSequencePath(Path.Combine(host.DataDirectory, "sequences", models.A.Id[7..]), id);
        Assert.True(File.Exists(saved));

        Assert.True(await conversation.DeleteAsync());

        Assert.False(File.Exists(saved));
        Assert.Null(await conversation.GetAsync());
        await Assert.ThrowsAsync<ConversationNotFoundException>(() => conversation.GetItemsAsync());
        Assert.False(await conversation.DeleteAsync());
    }

    /// <summary>The tokens a turn left in the KV cache: its prompt and answer, but the answer's last token (sampled, never decoded).</summary>
    private static int Decoded(GenerationSummary turn) => turn.PromptTokens + turn.CompletionTokens - 1;

    private async Task<List<string>> UninterruptedAsync(GrainsHost host, int turns)
    {
        var conversation = await CreateAsync(host);
        var answers = new List<string>();
        for (var turn = 0; turn < turns; turn++)
        {
            answers.Add((await SendAsync(conversation, Questions[turn])).Text);
        }

        return answers;
    }

    private Task<IConversationGrain> CreateAsync(GrainsHost host) => CreateAsync(host, "conv_" + Guid.NewGuid().ToString("N"));

    private async Task<IConversationGrain> CreateAsync(GrainsHost host, string id)
    {
        var conversation = host.Grains.GetGrain<IConversationGrain>(id);
        await conversation.CreateAsync(models.A.Id, "ai/tiny-a", [ConversationGrain.NewItem("system", "You are brief.", DateTimeOffset.UnixEpoch)], new Dictionary<string, string>());
        return conversation;
    }

    private static async Task<(string Text, GenerationSummary Summary)> SendAsync(IConversationGrain conversation, string question)
    {
        var text = "";
        GenerationSummary? result = null;
        var turn = new ConversationTurn([new PromptMessage("user", question)], new ModelRequest(ModelPrompt.Raw("")) { MaxTokens = 12, Sampling = new SamplingOverrides { Temperature = 0 } });
        await foreach (var update in conversation.SendAsync(turn))
        {
            text += update.Text;
            result = update.Summary ?? result;
        }

        return (text, result!);
    }
}
