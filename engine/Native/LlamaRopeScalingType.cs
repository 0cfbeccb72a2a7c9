namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_rope_scaling_type</c>: RoPE scaling.</summary>
internal enum LlamaRopeScalingType
{
    Unspecified = -1,
    None = 0,
    Linear = 1,
    Yarn = 2,
    LongRope = 3,
}
