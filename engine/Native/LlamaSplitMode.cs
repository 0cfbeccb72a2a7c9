namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_split_mode</c>: how layers are split across several GPUs.</summary>
internal enum LlamaSplitMode
{
    None = 0,
    Layer = 1,
    Row = 2,
    Tensor = 3,
}
