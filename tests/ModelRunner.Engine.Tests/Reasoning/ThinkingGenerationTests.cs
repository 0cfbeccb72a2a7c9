using System.Text;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Reasoning;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Reasoning;

/// <summary>
/// A generated reasoning model whose template opens <c>&lt;think&gt;</c>: generation starts inside the
/// thinking, which a random-weight model never closes by itself, so the budget decides exactly
/// where the thinking ends.
/// </summary>
[Collection(TestModelCollection.Name)]
public sealed class ThinkingGenerationTests(TestModelFixture models)
{
    private sealed record Run(string Thinking, string Answer, List<int> Tokens, GenerationResult Result, List<string> Order);

    private static async Task<Run> RunAsync(InferenceEngine engine, LlamaModel model, IReadOnlyList<int> prompt, ReasoningOptions reasoning, int maxTokens)
    {
        var request = new GenerationRequest(prompt, new GenerationOptions { MaxTokens = maxTokens, Sampling = SamplingOptions.Greedy });
        var (thinking, answer, tokens, order) = (new StringBuilder(), new StringBuilder(), new List<int>(), new List<string>());
        GenerationResult? result = null;
        await foreach (var update in ThinkingGeneration.GenerateAsync(engine, model, request, ThinkingTemplate.Of(model.ChatTemplate), reasoning))
        {
            thinking.Append(update.Thinking);
            answer.Append(update.Update.Text);
            tokens.AddRange(update.Update.Tokens);
            result = update.Update.Result ?? result;
            order.Add(update.Thinking.Length > 0 ? "thinking" : update.Update.Text.Length > 0 ? "answer" : "none");
        }

        Assert.NotNull(result);
        return new Run(thinking.ToString(), answer.ToString(), tokens, result, order);
    }

    private static int[] Prompt(LlamaModel model, bool think) =>
        [.. ChatPrompt.Start(model, [new ChatMessage("user", "Why is the sky blue?")]), .. model.Tokenize(ThinkingTemplate.Of(model.ChatTemplate).PromptSuffix(think), addSpecial: false, parseSpecial: true)];

    [Fact]
    public void Template_OfTheReasoningTestModel_OpensThinking()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.TinyReasoning));

        Assert.Equal(new ThinkingTemplate(Known: true, Opens: true), ThinkingTemplate.Of(model.ChatTemplate));
        Assert.Equal(ThinkingTemplate.None, ThinkingTemplate.Of(models.Tiny.ChatTemplate));
    }

    [Fact]
    public async Task Budget_EndsTheThinkingAfterExactlyThatManyTokens_AndTheAnswerFollows()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.TinyReasoning));
        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });
        var prompt = Prompt(model, think: true);

        var run = await RunAsync(engine, model, prompt, new ReasoningOptions(Enabled: true, Budget: 5), maxTokens: 12);

        var close = model.Tokenize("\n</think>\n\n", addSpecial: false, parseSpecial: true);
        Assert.Equal(model.Detokenize(run.Tokens.Take(5)), run.Thinking);
        Assert.Equal(close, run.Tokens.Skip(5).Take(close.Length));
        Assert.NotEmpty(run.Answer);
        Assert.Equal(12, run.Result.CompletionTokens);
        Assert.Equal(FinishReason.Length, run.Result.Reason);
        Assert.Equal(prompt.Length, run.Result.PromptTokens);
        // Thinking is streamed before the answer, never after it.
        Assert.Equal(["thinking", "answer"], run.Order.Where(kind => kind != "none").Distinct());

        // The answer is what the model says after exactly those thoughts and the forced close.
        var direct = await Support.Generation.CollectAsync(engine.GenerateAsync(new GenerationRequest([.. prompt, .. run.Tokens.Take(5 + close.Length)], new GenerationOptions { MaxTokens = 7, Sampling = SamplingOptions.Greedy })));
        Assert.Equal(direct.Text, run.Answer);
    }

    [Fact]
    public async Task NoBudget_ThinksUntilTheLimit_WithNoAnswer()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.TinyReasoning));
        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });

        var run = await RunAsync(engine, model, Prompt(model, think: true), ReasoningOptions.Default, maxTokens: 8);

        Assert.Equal(model.Detokenize(run.Tokens), run.Thinking);
        Assert.Empty(run.Answer);
        Assert.Equal(8, run.Result.CompletionTokens);
    }

    [Fact]
    public async Task ThinkingOff_PromptHoldsAnEmptyBlock_AndEverythingIsAnswer()
    {
        using var model = LlamaModel.Load(models.Write(TestModelShape.TinyReasoning));
        await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = 512, Sequences = 1 });
        var prompt = Prompt(model, think: false);

        var run = await RunAsync(engine, model, prompt, new ReasoningOptions(Enabled: false), maxTokens: 8);

        Assert.EndsWith("<think>\n\n</think>\n\n", model.Detokenize(prompt, renderSpecial: true), StringComparison.Ordinal);
        Assert.Empty(run.Thinking);
        Assert.NotEmpty(run.Answer);
        Assert.Equal(8, run.Result.CompletionTokens);
    }
}
