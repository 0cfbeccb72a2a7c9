namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>enum llama_load_mode</c>: how weights are read from disk (replaced use_mmap/use_mlock in this release).</summary>
internal enum LlamaLoadMode
{
    Auto = -1,
    None = 0,
    Mmap = 1,
    Mlock = 2,
    MmapMlock = 3,
    DirectIo = 4,
}
