using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Engine.Tests.Support;

/// <summary>
/// Generates the tiny test model (F16, Q8_0, Q4_K_M) once per test run in a temporary folder
/// and loads the F16 one; every engine test shares them.
/// </summary>
public sealed class TestModelFixture : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("modelrunner-models-");
    private readonly Lazy<LlamaModel> _tiny;

    public TestModelFixture()
    {
        TinyPath = Write(LlamaFileType.MostlyF16);
        _tiny = new(() => LlamaModel.Load(TinyPath));
    }

    public string Folder => _folder.FullName;

    public string TinyPath { get; }

    /// <summary>The tiny F16 model, loaded once.</summary>
    public LlamaModel Tiny => _tiny.Value;

    /// <summary>Writes the tiny model as <paramref name="type"/> (once per type and seed).</summary>
    public string Write(LlamaFileType type, ulong seed = 1) => Write(TestModelShape.Tiny, type, seed);

    /// <summary>Writes a model of <paramref name="shape"/> (once per shape, type and seed).</summary>
    public string Write(TestModelShape shape, LlamaFileType type = LlamaFileType.MostlyF16, ulong seed = 1)
    {
        var path = Path.Combine(Folder, $"{shape.Name}-{type.ToDisplayName()}-{seed}.gguf");
        lock (_folder)
        {
            if (!File.Exists(path))
            {
                TestModelBuilder.Write(path, shape, type, seed);
            }
        }

        return path;
    }

    public void Dispose()
    {
        if (_tiny.IsValueCreated)
        {
            _tiny.Value.Dispose();
        }

        _folder.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TestModelCollection : ICollectionFixture<TestModelFixture>
{
    public const string Name = "test models";
}
