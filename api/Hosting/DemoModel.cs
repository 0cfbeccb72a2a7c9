using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Hosting;

/// <summary>
/// <c>ai/tiny-random</c>: a few-megabyte model with random weights and a real tokenizer, made
/// on the spot so a fresh machine with no network has a model to serve. Its output is
/// gibberish by design; everything around it (APIs, batching, conversations) is real.
/// </summary>
public static class DemoModel
{
    public const string Name = "ai/tiny-random:latest";

    /// <summary>Packages the demo model into the store unless it is already there.</summary>
    public static async Task EnsureAsync(IModelDistribution distribution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (distribution.Store.Find(Name) is not null)
        {
            return;
        }

        var folder = Directory.CreateTempSubdirectory("modelrunner-demo-");
        try
        {
            var gguf = Path.Combine(folder.FullName, "tiny-random.gguf");
            TestModelBuilder.Write(gguf, TestModelShape.Tiny, LlamaFileType.MostlyF16, seed: 1);
            await distribution.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [Name], Created = DateTimeOffset.UnixEpoch }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
