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
/// <c>ai/bert-tiny</c> for embeddings. Deleted on disposal.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Model = "ai/tiny-random";
    public const string EmbeddingModel = "ai/bert-tiny";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri baseAddress, string home)
    {
        _app = app;
        BaseAddress = baseAddress;
        Home = home;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public string Home { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IModelDistribution Distribution => Services.GetRequiredService<IModelDistribution>();

    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-api-").FullName;
        var options = new ServerOptions { Port = 0, Home = home, Demo = true, MemoryBytes = 8L << 30 };
        var app = ModelRunnerServer.Build(configure?.Invoke(options) ?? options);
        var address = await ModelRunnerServer.StartAsync(app);
        var server = new TestServer(app, address, home);
        await server.PackageAsync(EmbeddingModel, TestModelShape.BertTiny);
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
        Directory.Delete(Home, recursive: true);
    }
}
