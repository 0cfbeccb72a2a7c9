using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>Builds llama.cpp's sampler chain for one request, in llama-server's order.</summary>
internal static class SamplerChain
{
    /// <exception cref="InvalidOptionException">The grammar does not parse.</exception>
    public static SafeLlamaSamplerHandle Create(LlamaModel model, SamplingOptions options, string? grammar)
    {
        var chain = SafeLlamaSamplerHandle.CreateChain();
        try
        {
            if (options.UsesPenalties)
            {
                chain.AddPenalties(options.PenaltyLastN, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty);
            }

            // The grammar goes first so every later sampler only sees tokens it allows.
            if (grammar is not null && !chain.TryAddGrammar(model.Handle, grammar, "root"))
            {
                throw new InvalidOptionException(nameof(grammar), $"the grammar does not parse: {LlamaLibrary.TakeLastError() ?? "llama.cpp rejected it"}");
            }

            if (options.Temperature <= 0)
            {
                chain.AddGreedy();
                return chain;
            }

            if (options.TopK > 0)
            {
                chain.AddTopK(options.TopK);
            }

            if (options.TopP < 1)
            {
                chain.AddTopP(options.TopP);
            }

            if (options.MinP > 0)
            {
                chain.AddMinP(options.MinP);
            }

            chain.AddTemperature(options.Temperature);
            chain.AddDistribution(options.Seed ?? (uint)Random.Shared.Next());
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
