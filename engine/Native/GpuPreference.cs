namespace ModelRunner.Engine.Native;

/// <summary>Which llama.cpp build to load; set with <c>MODEL_RUNNER_GPU=auto|cuda|cpu</c>.</summary>
public enum GpuPreference
{
    /// <summary>CUDA when its build is installed and an NVIDIA driver is present, else CPU. The default.</summary>
    Auto,

    /// <summary>The CUDA build; failing to load it is an error rather than a silent fall back.</summary>
    Cuda,

    /// <summary>The CPU build, even on a machine with a GPU.</summary>
    Cpu,
}
