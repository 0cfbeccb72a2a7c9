using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Memory;

/// <summary>
/// Estimates a model's memory from its GGUF header alone, so a node can decide whether it fits
/// before loading it. The terms mirror what llama.cpp allocates (checked against its own buffer
/// reports in tests): the weights as stored; K and V cells of <c>layers × (k_dim + v_dim)</c>
/// elements per context token; the output buffer (one row of logits per sequence); and the
/// compute buffer, which for a decoder is dominated by one batch of logits and hidden states
/// (plus, without flash attention, the attention scores), and for an encoder by the batch's
/// feed-forward activations. Thread-safe.
/// </summary>
public static class MemoryEstimator
{
    /// <exception cref="ArgumentException">The header lacks the dimensions needed (block count, embedding length).</exception>
    public static MemoryEstimate Estimate(GgufFile gguf, MemoryEstimateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gguf);
        options ??= new MemoryEstimateOptions();
        var architecture = gguf.Architecture ?? throw new ArgumentException("the model has no general.architecture", nameof(gguf));
        long Required(string key) => gguf.GetInt64OrNull($"{architecture}.{key}") ?? throw new ArgumentException($"the model has no {architecture}.{key}", nameof(gguf));

        var layers = Required("block_count");
        var embedding = Required("embedding_length");
        var heads = gguf.GetInt64OrNull($"{architecture}.attention.head_count") ?? 1;
        var kvHeads = gguf.GetInt64OrNull($"{architecture}.attention.head_count_kv") ?? heads;
        var keyLength = gguf.GetInt64OrNull($"{architecture}.attention.key_length") ?? embedding / Math.Max(1, heads);
        var valueLength = gguf.GetInt64OrNull($"{architecture}.attention.value_length") ?? embedding / Math.Max(1, heads);
        var vocabulary = gguf.TryGetValue("tokenizer.ggml.tokens", out var tokens) ? tokens.ArrayLength : gguf.GetInt64OrNull($"{architecture}.vocab_size") ?? 0;

        // Encoders (BERT and kin) read a whole input at once and keep no KV cache.
        var causal = !(gguf.TryGetValue($"{architecture}.attention.causal", out var causalValue) && !causalValue.AsBool());
        var cells = (long)options.ContextSize * options.Sequences;
        var kv = causal ? cells * layers * kvHeads * (keyLength + valueLength) * options.KvElementBytes : 0;

        var batch = Math.Min(options.BatchSize, options.ContextSize * options.Sequences);
        var output = options.Sequences * vocabulary * sizeof(float);
        var feedForward = gguf.GetInt64OrNull($"{architecture}.feed_forward_length") ?? 4 * embedding;
        var compute = (causal ? vocabulary + 2 * embedding : 2 * feedForward + 3 * embedding) * batch * sizeof(float);
        if (!options.FlashAttention)
        {
            compute += batch * (long)Math.Min(cells, options.ContextSize) * heads * sizeof(float);
        }

        var weights = gguf.TensorDataBytes;
        var gpu = 0L;
        if (options.GpuLayers != 0)
        {
            // llama.cpp keeps the input embeddings on the host; offloaded layers take their share
            // of the remaining weights and of the KV cache, and the compute buffer moves with them.
            var offloaded = options.GpuLayers < 0 ? layers : Math.Min(options.GpuLayers, layers);
            var embeddings = gguf.Tensors.Where(tensor => tensor.Name == "token_embd.weight").Sum(tensor => tensor.ByteSize);
            var fraction = (double)offloaded / layers;
            gpu = (long)((weights - embeddings) * fraction + kv * fraction) + (offloaded > 0 ? compute : 0);
        }

        return new MemoryEstimate(weights, kv, compute + output, gpu);
    }
}
