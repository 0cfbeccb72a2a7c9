using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Native;

/// <summary>
/// A <c>llama_sampler</c> chain. Samplers added to it are owned by it and freed with it, so
/// they never get handles of their own. Not thread-safe: one sequence's decode loop uses it.
/// </summary>
internal sealed unsafe partial class SafeLlamaSamplerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeLlamaSamplerHandle() : base(ownsHandle: true) { }

    public static SafeLlamaSamplerHandle CreateChain()
    {
        var parameters = LlamaApi.llama_sampler_chain_default_params();
        parameters.no_perf = true;
        var chain = llama_sampler_chain_init(parameters);
        return chain.IsInvalid ? throw new InvalidOperationException("llama.cpp could not create a sampler chain") : chain;
    }

    public void AddGreedy() => Add(llama_sampler_init_greedy());

    public void AddDistribution(uint seed) => Add(llama_sampler_init_dist(seed));

    public void AddTopK(int k) => Add(llama_sampler_init_top_k(k));

    public void AddTopP(float p) => Add(llama_sampler_init_top_p(p, 1));

    public void AddMinP(float p) => Add(llama_sampler_init_min_p(p, 1));

    public void AddTemperature(float temperature) => Add(llama_sampler_init_temp(temperature));

    public void AddPenalties(int lastN, float repeat, float frequency, float presence) =>
        Add(llama_sampler_init_penalties(lastN, repeat, frequency, presence));

    /// <summary>
    /// Adds a GBNF grammar; false when llama.cpp rejects the grammar. The grammar sampler reads
    /// the model's vocabulary while sampling, so the chain must not outlive the model.
    /// </summary>
    public bool TryAddGrammar(SafeLlamaModelHandle model, string grammar, string root)
    {
        using var lease = new HandleLease(model);
        var sampler = llama_sampler_init_grammar(model.Vocabulary, grammar, root);
        if (sampler == 0)
        {
            return false;
        }

        Add(sampler);
        return true;
    }

    public void AddLogitBias(int vocabularySize, ReadOnlySpan<LlamaLogitBias> biases)
    {
        fixed (LlamaLogitBias* pointer = biases)
        {
            Add(llama_sampler_init_logit_bias(vocabularySize, biases.Length, pointer));
        }
    }

    /// <summary>Samples from the logits of the <paramref name="index"/>-th output of the last decode, and accepts the token.</summary>
    public int Sample(SafeLlamaContextHandle context, int index) => llama_sampler_sample(this, context, index);

    /// <summary>Applies the chain to a candidate array (used to read probabilities for logprobs).</summary>
    public void Apply(LlamaTokenDataArray* candidates) => llama_sampler_apply(this, candidates);

    public void Accept(int token) => llama_sampler_accept(this, token);

    public void Reset() => llama_sampler_reset(this);

    protected override bool ReleaseHandle()
    {
        llama_sampler_free(handle);
        return true;
    }

    private void Add(nint sampler)
    {
        if (sampler == 0)
        {
            throw new InvalidOperationException("llama.cpp could not create a sampler");
        }

        llama_sampler_chain_add(this, sampler);
    }

    [LibraryImport(LlamaApi.Llama)]
    private static partial SafeLlamaSamplerHandle llama_sampler_chain_init(LlamaSamplerChainParams parameters);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_sampler_chain_add(SafeLlamaSamplerHandle chain, nint sampler);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_sampler_free(nint sampler);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_greedy();

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_dist(uint seed);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_top_k(int k);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_top_p(float p, nuint minKeep);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_min_p(float p, nuint minKeep);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_temp(float temperature);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_penalties(int lastN, float repeat, float frequency, float presence);

    [LibraryImport(LlamaApi.Llama, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llama_sampler_init_grammar(nint vocab, string grammar, string root);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_sampler_init_logit_bias(int vocabularySize, int count, LlamaLogitBias* biases);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_sampler_sample(SafeLlamaSamplerHandle sampler, SafeLlamaContextHandle context, int index);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_sampler_apply(SafeLlamaSamplerHandle sampler, LlamaTokenDataArray* candidates);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_sampler_accept(SafeLlamaSamplerHandle sampler, int token);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_sampler_reset(SafeLlamaSamplerHandle sampler);
}
