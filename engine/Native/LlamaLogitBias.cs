using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>struct llama_logit_bias</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaLogitBias
{
    public int token;
    public float bias;
}
