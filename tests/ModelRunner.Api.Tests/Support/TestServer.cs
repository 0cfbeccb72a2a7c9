using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Tests.Support;

/// <summary>
/// A real ModelRunner server (Kestrel on a free loopback port, the silo, real llama.cpp) with a
/// fresh home folder holding the demo model <c>ai/tiny-random</c> and a tiny BERT
/// <c>ai/bert-tiny</c> for embeddings and a tiny reranker <c>ai/reranker-tiny</c>. Deleted on disposal.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Model = "ai/tiny-random";
    public const string EmbeddingModel = "ai/bert-tiny";
    public const string RerankModel = "ai/reranker-tiny";

    private readonly WebApplication _app;

    private readonly bool _ownsHome;

    private TestServer(WebApplication app, Uri baseAddress, string home, bool ownsHome)
    {
        _app = app;
        _ownsHome = ownsHome;
        BaseAddress = baseAddress;
        Home = home;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public string Home { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IModelDistribution Distribution => Services.GetRequiredService<IModelDistribution>();

    /// <param name="configure">Changes the options; a test that sets its own home passes <paramref name="ownsHome"/> false and deletes it itself (to restart on it).</param>
    /// <param name="ownsHome">Whether disposal deletes the home folder.</param>
    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, bool ownsHome = true)
    {
        var options = new ServerOptions { Port = 0, Home = Directory.CreateTempSubdirectory("modelrunner-api-").FullName, Demo = true, MemoryBytes = 8L << 30 };
        var configured = configure?.Invoke(options) ?? options;
        if (configured.Home != options.Home)
        {
            Directory.Delete(options.Home);
        }

        var app = ModelRunnerServer.Build(configured);
        var address = await ModelRunnerServer.StartAsync(app);
        var server = new TestServer(app, address, configured.Home, ownsHome);
        await server.PackageAsync(EmbeddingModel, TestModelShape.BertTiny);
        await server.PackageAsync(RerankModel, TestModelShape.Reranker);
        return server;
    }

    /// <summary>Writes a random-weight model of <paramref name="shape"/> and packages it as <paramref name="name"/>.</summary>
    public async Task PackageAsync(string name, TestModelShape shape, ulong seed = 1)
    {
        var gguf = Path.Combine(Home, $"{Guid.NewGuid():N}.gguf");
        TestModelBuilder.Write(gguf, shape, LlamaFileType.MostlyF16, seed);
        await Distribution.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [name], Created = DateTimeOffset.UnixEpoch });
        File.Delete(gguf);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        if (_ownsHome)
        {
            Directory.Delete(Home, recursive: true);
        }
    }
}
