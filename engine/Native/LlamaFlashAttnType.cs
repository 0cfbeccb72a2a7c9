namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_flash_attn_type</c>: when flash attention is used.</summary>
internal enum LlamaFlashAttnType
{
    Auto = -1,
    Disabled = 0,
    Enabled = 1,
}
