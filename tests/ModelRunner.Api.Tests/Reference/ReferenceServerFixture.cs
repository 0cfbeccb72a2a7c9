using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Tests.Support;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Tests.Reference;

/// <summary>
/// A server shaped like the one Docker's documentation talks to: the model its examples name
/// (<c>ai/smollm2</c>, here the demo model under that tag) and a Unix socket where Docker
/// Desktop keeps its own, under a home folder of the test's.
/// </summary>
public sealed class ReferenceServerFixture : IAsyncLifetime
{
    public const string DocumentedModel = "ai/smollm2";

    private TestServer? _server;

    /// <summary>What <c>$HOME</c> is for the examples: it holds <c>.docker/run/docker.sock</c>.</summary>
    public string UserHome { get; } = Directory.CreateTempSubdirectory("modelrunner-home-").FullName;

    public TestServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync()
    {
        var socket = Path.Combine(UserHome, ".docker", "run", "docker.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        _server = await TestServer.StartAsync(options => options with { UnixSocket = socket });
        var model = _server.Distribution.Store.Tag(TestServer.Model, DocumentedModel);
        // The examples set no max_tokens: answers run to the end of the context. A 512-token
        // context (as a user would configure it) keeps them short on a busy CI machine.
        await _server.Services.GetRequiredService<ModelSettingsStore>().SetAsync(model.Id, new ModelSettings(ContextSize: 512));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(UserHome, recursive: true);
    }
}
