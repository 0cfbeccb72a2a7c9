using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>struct llama_token_data</c> (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaTokenData
{
    public int id;
    public float logit;
    public float p;
}
