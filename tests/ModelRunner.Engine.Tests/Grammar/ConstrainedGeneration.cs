using System.Text;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>
/// Generates with a grammar straight on the bindings (the engine's own sampler path does not take grammars yet):
/// grammar first in the chain so the samplers after it only ever see allowed tokens.
/// </summary>
internal static class ConstrainedGeneration
{
    private const int ContextSize = 512;

    /// <summary>The generated text and whether the model ended it (true) or it hit <paramref name="maxTokens"/>.</summary>
    /// <param name="grammar">The GBNF grammar, root rule <c>root</c>; null to generate unconstrained.</param>
    /// <param name="seed">Null for greedy sampling; otherwise top-k 40 at temperature 1 with this seed.</param>
    public static (string Text, bool Ended) Generate(LlamaModel model, string? grammar, uint? seed, int maxTokens = 300, string prompt = "Reply in JSON:")
    {
        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = ContextSize;
        parameters.n_batch = ContextSize;
        parameters.n_ubatch = ContextSize;
        parameters.n_seq_max = 1;
        parameters.no_perf = true;
        // One thread: the tiny model gains nothing from more, and on a busy CI machine spinning compute threads
        // make each token take hundreds of milliseconds instead of a fraction of one.
        parameters.n_threads = 1;
        parameters.n_threads_batch = 1;
        using var context = SafeLlamaContextHandle.Create(model.Handle, parameters) ?? throw new InvalidOperationException("llama.cpp could not create a context");
        using var batch = SafeLlamaBatchHandle.Create(ContextSize);
        using var sampler = SafeLlamaSamplerHandle.CreateChain();
        if (grammar is not null)
        {
            Assert.True(sampler.TryAddGrammar(model.Handle, grammar, "root"), "llama.cpp rejected the grammar:\n" + grammar);
        }

        if (seed is { } fixedSeed)
        {
            sampler.AddTopK(40);
            sampler.AddTemperature(1.0f);
            sampler.AddDistribution(fixedSeed);
        }
        else
        {
            sampler.AddGreedy();
        }

        var prompted = model.Tokenize(prompt);
        for (var i = 0; i < prompted.Length; i++)
        {
            batch.Add(prompted[i], i, 0, wantLogits: i == prompted.Length - 1);
        }

        Assert.Equal(0, context.Decode(batch.Native));
        var decoder = new TokenTextDecoder(model);
        var text = new StringBuilder();
        var index = batch.Count - 1;
        for (var position = prompted.Length; position < prompted.Length + maxTokens; position++)
        {
            var token = sampler.Sample(context, index);
            if (model.IsEndOfGeneration(token))
            {
                return (text.Append(decoder.Flush()).ToString(), true);
            }

            text.Append(decoder.Append(token));
            batch.Clear();
            batch.Add(token, position, 0, wantLogits: true);
            Assert.Equal(0, context.Decode(batch.Native));
            index = 0;
        }

        return (text.Append(decoder.Flush()).ToString(), false);
    }
}
