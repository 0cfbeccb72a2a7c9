namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_lazy_mode</c>: on-demand reading of marked tensors.</summary>
internal enum LlamaLazyMode
{
    Off = 0,
    Auto = 1,
    On = 2,
}
