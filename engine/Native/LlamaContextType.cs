namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_context_type</c>: the kind of context.</summary>
internal enum LlamaContextType
{
    Default = 0,
    Mtp = 1,
}
