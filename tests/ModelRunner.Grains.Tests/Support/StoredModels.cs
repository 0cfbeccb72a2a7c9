using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Store;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Grains.Tests.Support;

/// <summary>
/// A real model store in a temporary folder holding two tiny random-weight models packaged as
/// DMR artifacts (<c>ai/tiny-a</c>, <c>ai/tiny-b</c>) and a tiny BERT (<c>ai/bert-tiny</c>),
/// shared by every test of the collection.
/// </summary>
public sealed class StoredModels : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("modelrunner-grains-");
    private readonly Lazy<LocalModel> _slow;

    public StoredModels()
    {
        Distribution = ModelDistribution.Create(new ModelDistributionOptions { StorePath = Path.Combine(_folder.FullName, "store") });
        A = Package("tiny-a", TestModelShape.Tiny, 1);
        B = Package("tiny-b", TestModelShape.Tiny, 2);
        Bert = Package("bert-tiny", TestModelShape.BertTiny, 1);
        _slow = new Lazy<LocalModel>(() => Package("smollm2-f16", TestModelShape.SmolLM2_360M, 3));
    }

    public IModelDistribution Distribution { get; }

    public LocalModel A { get; }

    public LocalModel B { get; }

    public LocalModel Bert { get; }

    /// <summary>SmolLM2-360M-shaped in F16 (720 MB), written on first use: a model whose load takes a while.</summary>
    public LocalModel Slow => _slow.Value;

    public string Folder => _folder.FullName;

    /// <summary>Writes and packages another tiny model, e.g. for a test that needs its own.</summary>
    public LocalModel Package(string name, TestModelShape shape, ulong seed)
    {
        var gguf = Path.Combine(_folder.FullName, $"{name}.gguf");
        TestModelBuilder.Write(gguf, shape, LlamaFileType.MostlyF16, seed);
        // A fixed creation time: the same file packaged again gets the same id.
        return Distribution.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [$"ai/{name}:latest"], Created = DateTimeOffset.UnixEpoch }).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Distribution.Dispose();
        _folder.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class StoredModelsCollection : ICollectionFixture<StoredModels>
{
    public const string Name = "stored models";
}
