namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_attention_type</c>: attention type for embeddings.</summary>
internal enum LlamaAttentionType
{
    Unspecified = -1,
    Causal = 0,
    NonCausal = 1,
}
