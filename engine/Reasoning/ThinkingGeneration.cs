using System.Runtime.CompilerServices;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Reasoning;

/// <summary>
/// Runs a generation on a reasoning model, separating its thinking from its answer. When the
/// prompt opens the think block, thinking runs first, on its own: up to the budget, ended early by
/// the model writing <c>&lt;/think&gt;</c>, and without the answer's grammar or stop strings (they
/// are for the answer). Where the budget ends it, <c>&lt;/think&gt;</c> is written for the model.
/// The answer then continues from exactly the tokens decoded so far (the engine reuses their KV
/// cells), with the request's own limits. Thread-safe: each call is independent.
/// </summary>
public static class ThinkingGeneration
{
    private const string ForcedClose = "\n" + ThinkingTemplate.Close + "\n\n";

    /// <param name="engine">The model's engine.</param>
    /// <param name="model">The model (to write the forced end of thinking).</param>
    /// <param name="request">The request; thinking comes first when its prompt ends with the template's opening (see <see cref="ThinkingTemplate.PromptSuffix"/>).</param>
    /// <param name="template">What the model's template says about thinking.</param>
    /// <param name="reasoning">Whether the model thinks, and for how long.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    public static async IAsyncEnumerable<ReasonedUpdate> GenerateAsync(
        InferenceEngine engine,
        LlamaModel model,
        GenerationRequest request,
        ThinkingTemplate template,
        ReasoningOptions reasoning,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(reasoning);
        var startsThinking = reasoning.Enabled && template.Opens && EndsWith(request.PromptTokens, model.Tokenize(template.PromptSuffix(thinking: true), addSpecial: false, parseSpecial: true));
        if (!startsThinking)
        {
            // One pass; a model that opens its own think block is still split.
            var splitter = template.Known && reasoning.Enabled ? new ReasoningSplitter(startsThinking: false) : null;
            await foreach (var update in engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
            {
                yield return Split(splitter, update);
            }

            yield break;
        }

        var options = request.Options;
        var budget = reasoning.Budget is { } limit && (options.MaxTokens is null || limit < options.MaxTokens) ? limit : options.MaxTokens;
        List<int> decoded = [.. request.PromptTokens];
        GenerationResult? thought = null;
        var thinkingSplitter = new ReasoningSplitter(startsThinking: true);
        if (budget is not 0)
        {
            var thinking = request with { Options = options with { MaxTokens = budget, Stop = [ThinkingTemplate.Close], Grammar = null } };
            await foreach (var update in engine.GenerateAsync(thinking, cancellationToken).ConfigureAwait(false))
            {
                decoded.AddRange(update.Tokens);
                thought = update.Result ?? thought;
                var (text, _) = thinkingSplitter.Push(update.Text);
                if (update.Result is not null)
                {
                    text += thinkingSplitter.Flush().Thinking;
                }

                yield return new ReasonedUpdate(text, update with { Text = "", Result = null });
            }
        }

        var closedByModel = thought?.StopSequence == ThinkingTemplate.Close;
        var spent = thought?.CompletionTokens ?? 0;
        if (thought is not null && !closedByModel && (thought.Reason == FinishReason.Stop || spent >= options.MaxTokens))
        {
            // The model ended (or ran out of tokens) while thinking: there is no answer.
            yield return new ReasonedUpdate("", new GenerationUpdate("") { Result = thought });
            yield break;
        }

        int[] forced = closedByModel ? [] : model.Tokenize(ForcedClose, addSpecial: false, parseSpecial: true);
        if (forced.Length > 0)
        {
            decoded.AddRange(forced);
            yield return new ReasonedUpdate("", new GenerationUpdate("") { Tokens = forced });
        }

        var answer = request with
        {
            PromptTokens = decoded,
            Options = options with { MaxTokens = options.MaxTokens - spent },
        };
        await foreach (var update in engine.GenerateAsync(answer, cancellationToken).ConfigureAwait(false))
        {
            yield return new ReasonedUpdate("", update.Result is { } result && thought is not null ? update with { Result = Combined(thought, result, request.PromptTokens.Count) } : update);
        }
    }

    private static bool EndsWith(IReadOnlyList<int> tokens, int[] end) =>
        end.Length > 0 && tokens.Count >= end.Length && tokens.Skip(tokens.Count - end.Length).SequenceEqual(end);

    private static ReasonedUpdate Split(ReasoningSplitter? splitter, GenerationUpdate update)
    {
        if (splitter is null)
        {
            return new ReasonedUpdate("", update);
        }

        var (thinking, answer) = splitter.Push(update.Text);
        if (update.Result is not null)
        {
            var (heldThinking, heldAnswer) = splitter.Flush();
            (thinking, answer) = (thinking + heldThinking, answer + heldAnswer);
        }

        return new ReasonedUpdate(thinking, update with { Text = answer });
    }

    /// <summary>The two passes as one generation: the request's prompt, every token generated, both passes' time.</summary>
    private static GenerationResult Combined(GenerationResult thought, GenerationResult answer, int promptTokens) =>
        answer with
        {
            PromptTokens = promptTokens,
            CachedPromptTokens = thought.CachedPromptTokens,
            CompletionTokens = thought.CompletionTokens + answer.CompletionTokens,
            PromptDuration = thought.PromptDuration,
            GenerationDuration = thought.GenerationDuration + answer.PromptDuration + answer.GenerationDuration,
            QueueDuration = thought.QueueDuration + answer.QueueDuration,
        };
}
