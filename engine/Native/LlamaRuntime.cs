namespace ModelRunner.Engine.Native;

/// <summary>What <see cref="LlamaLibrary.Load()"/> found and loaded.</summary>
/// <param name="Variant">The build in use: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Directory">The folder its libraries were loaded from.</param>
/// <param name="Version">llama.cpp's own version string.</param>
/// <param name="SystemInfo">llama.cpp's feature line (CPU ISA, backends).</param>
/// <param name="HasGpu">True when a GPU device is there to offload layers to.</param>
/// <param name="Notice">Why a GPU build is not in use, when that happened under <see cref="GpuPreference.Auto"/>.</param>
public sealed record LlamaRuntime(string Variant, string Directory, string Version, string SystemInfo, bool HasGpu, string? Notice)
{
    /// <summary>The line DMR's <c>/engines/status</c> reports, e.g. <c>llama.cpp cpu 0.5.0</c>.</summary>
    public override string ToString() => $"llama.cpp {Variant} {Version}";
}
