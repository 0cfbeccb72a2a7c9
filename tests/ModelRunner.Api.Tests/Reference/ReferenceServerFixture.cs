using ModelRunner.Api.Tests.Support;

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
        _server.Distribution.Store.Tag(TestServer.Model, DocumentedModel);
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
