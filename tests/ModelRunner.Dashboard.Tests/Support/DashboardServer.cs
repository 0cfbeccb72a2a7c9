using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Dashboard.Tests.Support;

/// <summary>
/// A real ModelRunner server in this process (Kestrel on a free loopback port, the silo, real
/// llama.cpp) with a fresh home holding the demo model <c>ai/tiny-random</c>. Deleted on disposal.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    public const string Model = "ai/tiny-random:latest";

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri baseAddress, string home, string? apiKey)
    {
        _app = app;
        BaseAddress = baseAddress;
        Home = home;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Uri BaseAddress { get; }

    public string Home { get; }

    /// <summary>A client of the API (with the key, when the server has one).</summary>
    public HttpClient Http { get; }

    public IModelDistribution Distribution => _app.Services.GetRequiredService<IModelDistribution>();

    public static async Task<DashboardServer> StartAsync(string? apiKey = null)
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-dashboard-").FullName;
        var app = ModelRunnerServer.Build(new ServerOptions { Port = 0, Home = home, Demo = true, MemoryBytes = 8L << 30, ApiKey = apiKey });
        var address = await ModelRunnerServer.StartAsync(app);
        return new DashboardServer(app, address, home, apiKey);
    }

    /// <summary>Writes a random-weight tiny model and packages it into the store as <paramref name="name"/>.</summary>
    public async Task PackageAsync(string name, ulong seed)
    {
        var gguf = Path.Combine(Home, $"{Guid.NewGuid():N}.gguf");
        TestModelBuilder.Write(gguf, TestModelShape.Tiny, LlamaFileType.MostlyF16, seed);
        await Distribution.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [name], Created = DateTimeOffset.UtcNow });
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
