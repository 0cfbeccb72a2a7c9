using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>struct llama_token_data_array</c> (32 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaTokenDataArray
{
    public LlamaTokenData* data;
    public nuint size;
    public long selected;
    public CBool sorted;
}
