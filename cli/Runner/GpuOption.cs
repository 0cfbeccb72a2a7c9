using System.CommandLine;
using ModelRunner.Engine.Native;

namespace ModelRunner.Cli.Runner;

/// <summary>
/// <c>--gpu auto|none|cuda</c> as DMR's runner verbs take it, carried to <c>serve</c> as <c>MODEL_RUNNER_GPU</c>
/// (<c>none</c> is the CPU build). <c>auto</c> uses CUDA when its build is installed and a driver is present.
/// </summary>
internal static class GpuOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--gpu") { Description = "GPU support: auto (default), none (CPU only) or cuda" };
        option.AcceptOnlyFromAmong("auto", "none", "cuda");
        return option;
    }

    /// <summary>The <c>MODEL_RUNNER_GPU</c> value for a <c>--gpu</c> value.</summary>
    public static string ToEnvironment(string gpu) => gpu == "none" ? "cpu" : gpu;

    public static string Variable => LlamaLibrary.GpuVariable;
}
