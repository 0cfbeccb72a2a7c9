using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>Maps <see cref="EngineOptions"/> onto the <c>llama_context_params</c> an engine's context is created with.</summary>
internal static class ContextParameters
{
    public static LlamaContextParams For(EngineOptions options)
    {
        var parameters = LlamaApi.llama_context_default_params();
        parameters.n_ctx = (uint)(options.ContextSize * options.Sequences);
        parameters.n_batch = (uint)options.BatchSize;
        parameters.n_ubatch = (uint)options.BatchSize;
        parameters.n_seq_max = (uint)options.Sequences;
        parameters.n_threads = options.ResolvedThreads;
        parameters.n_threads_batch = options.ResolvedBatchThreads;
        parameters.flash_attn_type = options.FlashAttention switch
        {
            true => LlamaFlashAttnType.Enabled,
            false => LlamaFlashAttnType.Disabled,
            null => LlamaFlashAttnType.Auto,
        };
        parameters.rope_freq_base = options.RopeFreqBase ?? 0;
        parameters.rope_freq_scale = options.RopeFreqScale ?? 0;
        parameters.rope_scaling_type = options.RopeScaling switch
        {
            "none" => LlamaRopeScalingType.None,
            "linear" => LlamaRopeScalingType.Linear,
            "yarn" => LlamaRopeScalingType.Yarn,
            _ => LlamaRopeScalingType.Unspecified,
        };

        // A KV stream per sequence: a sequence's attention never sees another's cells, so its
        // output does not depend on what shares the batch, and a saved state restores into any
        // sequence of a context with the same layout.
        parameters.kv_unified = false;
        parameters.no_perf = true;
        return parameters;
    }
}
