using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Tests.Native;

public sealed class GgmlTypeTraitsNativeTests
{
    [Fact]
    public void BlockAndTypeSizes_OfEveryKnownType_MatchLibggml()
    {
        LlamaLibrary.Load();
        var mismatches = Enum.GetValues<GgmlType>()
            .Where(type => GgmlTypeTraits.BlockSize(type) != LlamaApi.ggml_blck_size(type)
                || GgmlTypeTraits.TypeSize(type) != (long)LlamaApi.ggml_type_size(type))
            .Select(type => $"{type}: ours {GgmlTypeTraits.BlockSize(type)}/{GgmlTypeTraits.TypeSize(type)}, ggml {LlamaApi.ggml_blck_size(type)}/{LlamaApi.ggml_type_size(type)}");

        Assert.Empty(mismatches);
    }

    [Fact]
    public void LoadedRuntime_ReportsItsBuildAndDevices()
    {
        var runtime = LlamaLibrary.Load();

        Assert.Contains(runtime.Variant, new[] { "cpu", "cuda" });
        Assert.Equal(runtime.HasGpu, LlamaLibrary.ReadDevices().Any(device => device.IsGpu));
        Assert.Contains(LlamaLibrary.ReadDevices(), device => !device.IsGpu);
        Assert.Contains("CPU", runtime.SystemInfo, StringComparison.Ordinal);
    }
}
