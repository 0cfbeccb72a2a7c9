namespace ModelRunner.Engine.Native;

/// <summary>A ggml backend device as llama.cpp sees it, with its memory at the time it was read.</summary>
/// <param name="Name">ggml's device name, e.g. <c>CPU</c> or <c>CUDA0</c>.</param>
/// <param name="Description">The hardware, e.g. the CPU model or GPU name.</param>
/// <param name="IsGpu">True for devices with their own memory that layers can be offloaded to.</param>
/// <param name="FreeBytes">Free memory on the device.</param>
/// <param name="TotalBytes">Total memory on the device.</param>
public sealed record ComputeDevice(string Name, string Description, bool IsGpu, long FreeBytes, long TotalBytes);
