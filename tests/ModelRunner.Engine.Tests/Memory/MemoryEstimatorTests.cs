using System.Text.RegularExpressions;
using ModelRunner.Engine.Embeddings;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Memory;
using ModelRunner.Engine.Native;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Memory;

/// <summary>Compares the estimate from the GGUF header with the buffers llama.cpp reports allocating.</summary>
[Collection(TestModelCollection.Name)]
public sealed partial class MemoryEstimatorTests(TestModelFixture models)
{
    private static readonly TestModelShape Small = TestModelShape.Tiny with { Name = "small", EmbeddingLength = 256, LayerCount = 6, HeadCount = 8, KvHeadCount = 2, FeedForwardLength = 768 };

    public static TheoryData<int, int, int> Contexts => new()
    {
        { 4096, 4, 512 },
        { 2048, 1, 512 },
        { 1024, 8, 256 },
        { 8192, 2, 1024 },
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task Estimate_ForAGenerationContext_IsWithin15PercentOfWhatLlamaCppAllocates(int contextSize, int sequences, int batchSize)
    {
        var path = models.Write(Small);
        var reported = await MeasureAsync(async () =>
        {
            using var model = LlamaModel.Load(path);
            await using var engine = new InferenceEngine(model, new EngineOptions { Threads = 1, ContextSize = contextSize, Sequences = sequences, BatchSize = batchSize });
        });

        var estimate = MemoryEstimator.Estimate(GgufReader.Read(path), new MemoryEstimateOptions { ContextSize = contextSize, Sequences = sequences, BatchSize = batchSize });

        Assert.InRange(estimate.TotalBytes, reported * 0.85, reported * 1.15);
        Assert.Equal(0, estimate.GpuBytes);
    }

    [Fact]
    public async Task Estimate_ForABertEncoder_HasNoKvCacheAndIsWithin15Percent()
    {
        var path = models.Write(TestModelShape.BertTiny);
        var reported = await MeasureAsync(async () =>
        {
            using var model = LlamaModel.Load(path);
            await using var engine = new EmbeddingEngine(model, new EmbeddingOptions { Threads = 1, ContextSize = 512, Sequences = 16 });
        });

        var estimate = MemoryEstimator.Estimate(GgufReader.Read(path), new MemoryEstimateOptions { ContextSize = 512, Sequences = 16, BatchSize = 512 });

        Assert.Equal(0, estimate.KvCacheBytes);
        Assert.InRange(estimate.TotalBytes, reported * 0.85, reported * 1.15);
    }

    [Fact]
    public void Estimate_AllLayersOnTheGpu_LeavesOnlyInputEmbeddingsAndOutputRowsOnTheHost()
    {
        var gguf = GgufReader.Read(models.Write(Small));

        var estimate = MemoryEstimator.Estimate(gguf, new MemoryEstimateOptions { GpuLayers = -1, Sequences = 4 });
        var embeddings = gguf.Tensors.Single(tensor => tensor.Name == "token_embd.weight").ByteSize;
        var outputRows = 4L * gguf["tokenizer.ggml.tokens"].ArrayLength * sizeof(float);

        Assert.Equal(embeddings + outputRows, estimate.HostBytes);
        Assert.Equal(0, MemoryEstimator.Estimate(gguf, new MemoryEstimateOptions { GpuLayers = 0 }).GpuBytes);
    }

    /// <summary>Sums the buffer sizes llama.cpp logs (weights, KV, output, compute) while <paramref name="load"/> runs.</summary>
    private static async Task<double> MeasureAsync(Func<Task> load)
    {
        var total = 0.0;
        var previous = LlamaLibrary.LogHandler;
        LlamaLibrary.LogHandler = (_, line) =>
        {
            if (BufferSize().Match(line) is { Success: true } match)
            {
                Interlocked.Exchange(ref total, total + double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1024 * 1024);
            }
        };
        try
        {
            await load();
        }
        finally
        {
            LlamaLibrary.LogHandler = previous;
        }

        Assert.True(total > 0, "llama.cpp logged no buffer sizes");
        return total;
    }

    [GeneratedRegex(@"buffer size =\s+([0-9.]+) MiB")]
    private static partial Regex BufferSize();
}
