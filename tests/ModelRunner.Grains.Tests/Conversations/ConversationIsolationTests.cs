using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Conversations;

/// <summary>
/// Conversations that share a model never see each other's history or KV, whatever order their
/// sequences are evicted and restored in. Four conversations, each told its own secret, take
/// turns on a model with two sequences (so nearly every turn evicts another conversation's KV
/// and restores its own), in shuffled orders, across an unload (KV saved to disk and read back).
/// At temperature 0 the model is deterministic, so each answer must be the one the same
/// conversation gets when it runs alone from start to finish: a single token of another
/// conversation's KV or history in its context would change what a random-weight model says.
/// </summary>
[Collection(StoredModelsCollection.Name)]
public sealed class ConversationIsolationTests(StoredModels models)
{
    private static readonly string[] Secrets = ["PELICAN", "OBSIDIAN", "MARZIPAN", "QUASAR"];

    private static readonly string[] Questions = ["What is the secret word?", "Say it again.", "Spell it."];

    // Rounds of turns: another order of the four conversations each round, an unload before the last.
    private static readonly int[][] Rounds = [[0, 1, 2, 3], [3, 1, 0, 2], [2, 0, 3, 1]];

    [Fact]
    public async Task SendAsync_InterleavedUnderEviction_EachConversationSeesOnlyItsOwnHistoryAndKv()
    {
        await using var host = await GrainsHost.StartAsync(models);
        // Two sequences for four conversations: each turn takes a sequence another one held.
        await host.Settings.SetAsync(models.A.Id, new ModelSettings(RuntimeFlags: ["--parallel", "2"]));

        // What each conversation says when nothing else runs between its turns.
        var alone = new List<(string Text, int PromptTokens)>[Secrets.Length];
        for (var c = 0; c < Secrets.Length; c++)
        {
            var conversation = await CreateAsync(host, c);
            alone[c] = [];
            foreach (var question in Questions)
            {
                var (text, summary) = await SendAsync(conversation, question);
                alone[c].Add((text, summary.PromptTokens));
            }
        }

        var interleaved = new IConversationGrain[Secrets.Length];
        for (var c = 0; c < Secrets.Length; c++)
        {
            interleaved[c] = await CreateAsync(host, c);
        }

        var turns = new int[Secrets.Length];
        var previous = new GenerationSummary?[Secrets.Length];
        var restored = 0;
        for (var round = 0; round < Rounds.Length; round++)
        {
            if (round == Rounds.Length - 1)
            {
                // Every conversation's KV goes to disk; the next turns read it back.
                await host.Model(models.A.Id).UnloadAsync();
                await Eventually.TrueAsync(() => !host.IsLoaded(models.A.Id), "the model should unload");
            }

            foreach (var c in Rounds[round])
            {
                var turn = turns[c]++;
                var (text, summary) = await SendAsync(interleaved[c], Questions[turn]);

                Assert.True(alone[c][turn].Text == text, $"conversation {c} (secret {Secrets[c]}), turn {turn} of round {round}: answered '{text}', alone it answers '{alone[c][turn].Text}'");
                Assert.Equal(alone[c][turn].PromptTokens, summary.PromptTokens);
                if (previous[c] is { } last)
                {
                    // What was reused is exactly this conversation's own last turn, never more.
                    Assert.True(summary.CachedPromptTokens <= Decoded(last), $"conversation {c} reused {summary.CachedPromptTokens} tokens, more than the {Decoded(last)} it had decoded");
                    restored += summary.CachedPromptTokens == Decoded(last) ? 1 : 0;
                }

                previous[c] = summary;
            }
        }

        // The test proves nothing unless KV was in fact restored after evictions and the unload.
        Assert.True(restored == 2 * Secrets.Length, $"only {restored} of {2 * Secrets.Length} later turns reused their conversation's KV");
        for (var c = 0; c < Secrets.Length; c++)
        {
            var items = await interleaved[c].GetItemsAsync();
            var transcript = await host.Model(models.A.Id).DetokenizeAsync(
                await host.Model(models.A.Id).BuildPromptAsync(ModelPrompt.Chat([.. items.Select(item => new PromptMessage(item.Role, item.Content))])));

            Assert.Equal(1 + 2 * Questions.Length, items.Count);
            Assert.Contains(Secrets[c], transcript, StringComparison.Ordinal);
            foreach (var other in Secrets.Where((_, i) => i != c))
            {
                Assert.DoesNotContain(other, transcript, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The tokens a turn left in the KV cache: its prompt and answer, but the answer's last token (sampled, never decoded).</summary>
    private static int Decoded(GenerationSummary turn) => turn.PromptTokens + turn.CompletionTokens - 1;

    private async Task<IConversationGrain> CreateAsync(GrainsHost host, int index)
    {
        var conversation = host.Grains.GetGrain<IConversationGrain>("conv_" + Guid.NewGuid().ToString("N"));
        await conversation.CreateAsync(models.A.Id, "ai/tiny-a", [ConversationGrain.NewItem("system", $"The secret word is {Secrets[index]}. Never tell it.", DateTimeOffset.UnixEpoch)], new Dictionary<string, string>());
        return conversation;
    }

    private static async Task<(string Text, GenerationSummary Summary)> SendAsync(IConversationGrain conversation, string question)
    {
        var text = "";
        GenerationSummary? result = null;
        var turn = new ConversationTurn([new PromptMessage("user", question)], new ModelRequest(ModelPrompt.Raw("")) { MaxTokens = 4, Sampling = new SamplingOverrides { Temperature = 0 } });
        await foreach (var update in conversation.SendAsync(turn))
        {
            text += update.Text;
            result = update.Summary ?? result;
        }

        return (text, result!);
    }
}
