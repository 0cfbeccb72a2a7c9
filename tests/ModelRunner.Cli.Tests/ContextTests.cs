using System.Text.Json;
using ModelRunner.Cli.Tests.StandIns;

namespace ModelRunner.Cli.Tests;

/// <summary><c>context create|use|ls|inspect|rm</c>, run as a user would, each test with a CLI home of its own.</summary>
[Collection(CliServerCollection.Name)]
public sealed class ContextTests(CliServer server) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("modelrunner-cli-contexts-");

    /// <summary>No MODEL_RUNNER_HOST: the context decides where requests go.</summary>
    private Dictionary<string, string> Environment(string? host = "") => new() { ["MODEL_RUNNER_HOME"] = _home.FullName, ["MODEL_RUNNER_HOST"] = host ?? "" };

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => CliProcess.RunAsync(arguments, Environment());

    private async Task<string> SucceedAsync(params string[] arguments)
    {
        var (exit, output, error) = await RunAsync(arguments);
        Assert.True(exit == 0, $"modelrunner {string.Join(' ', arguments)} exited {exit}: {error}");
        return output;
    }

    [Fact]
    public async Task CreateUseListInspectRemove_SendsTheVerbsToTheContextsRunner()
    {
        var created = await SucceedAsync("context", "create", "lab", "--host", server.Address.ToString(), "--description", "the test server");
        var used = await SucceedAsync("context", "use", "lab");
        var models = await SucceedAsync("ls");
        var list = (await SucceedAsync("context", "ls")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var inspected = JsonDocument.Parse(await SucceedAsync("context", "inspect", "lab"));
        var overridden = await CliProcess.RunAsync(["ls"], Environment(host: "http://127.0.0.1:9"));

        Assert.StartsWith("Created context lab", created, StringComparison.Ordinal);
        Assert.StartsWith("Using context lab", used, StringComparison.Ordinal);
        Assert.Contains(CliServer.Model, models, StringComparison.Ordinal);
        Assert.Matches(@"^NAME\s+DESCRIPTION\s+HOST\s+TLS$", list[0]);
        Assert.StartsWith("default ", list[1], StringComparison.Ordinal);
        Assert.Contains(list, row => row.StartsWith("lab *", StringComparison.Ordinal) && row.Contains("the test server", StringComparison.Ordinal));
        var lab = Assert.Single(inspected.RootElement.EnumerateArray());
        Assert.Equal(server.Address.ToString(), lab.GetProperty("host").GetString());
        Assert.True(lab.GetProperty("current").GetBoolean());
        // MODEL_RUNNER_HOST still wins over the context in use.
        Assert.Equal(1, overridden.ExitCode);
        Assert.Contains("127.0.0.1:9", overridden.Error, StringComparison.Ordinal);

        var inUse = await RunAsync("context", "rm", "lab");
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("in use", inUse.Error, StringComparison.Ordinal);
        await SucceedAsync("context", "use", "default");
        Assert.StartsWith("Removed context lab", await SucceedAsync("context", "rm", "lab"), StringComparison.Ordinal);
        Assert.DoesNotContain("lab", await SucceedAsync("context", "ls"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_AreOneLineAndExit1()
    {
        await SucceedAsync("context", "create", "twice", "--host", "http://127.0.0.1:1");

        var failures = new[]
        {
            await RunAsync("context", "create", "twice", "--host", "http://127.0.0.1:2"),
            await RunAsync("context", "create", "default", "--host", "http://127.0.0.1:2"),
            await RunAsync("context", "create", "bad-url", "--host", "ftp://example"),
            await RunAsync("context", "create", "no/slash", "--host", "http://127.0.0.1:2"),
            await RunAsync("context", "use", "nowhere"),
            await RunAsync("context", "rm", "default"),
            await RunAsync("context", "inspect", "nowhere"),
        };

        Assert.All(failures, failure =>
        {
            Assert.Equal(1, failure.ExitCode);
            Assert.Single(failure.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        });
        Assert.Contains("already exists", failures[0].Error, StringComparison.Ordinal);
        Assert.Contains("ftp://example", failures[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsContext_TrustsThePrivateCa_AndRefusesWithoutIt()
    {
        var certificates = await TestCertificates.WriteAsync(_home.FullName);
        var serverHome = Directory.CreateTempSubdirectory("modelrunner-cli-tls-server-");
        try
        {
            await using var tls = await ServeProcess.StartAsync(serverHome.FullName, "--tls-cert", certificates.CertificatePath, "--tls-key", certificates.KeyPath);
            var address = tls.Address.ToString();
            Assert.StartsWith("https://", address, StringComparison.Ordinal);

            await SucceedAsync("context", "create", "secure", "--host", address.Replace("https://", "http://", StringComparison.Ordinal), "--tls", "--tls-ca-cert", certificates.CaPath);
            await SucceedAsync("context", "create", "untrusted", "--host", address);
            await SucceedAsync("context", "create", "careless", "--host", address, "--tls-skip-verify");

            await SucceedAsync("context", "use", "secure");
            var secure = await SucceedAsync("status");
            await SucceedAsync("context", "use", "untrusted");
            var untrusted = await RunAsync("status");
            await SucceedAsync("context", "use", "careless");
            var careless = await SucceedAsync("status");

            Assert.Contains("is running", secure, StringComparison.Ordinal);
            Assert.Equal(1, untrusted.ExitCode);
            Assert.Contains("TLS", untrusted.Output + untrusted.Error, StringComparison.Ordinal);
            Assert.Contains("is running", careless, StringComparison.Ordinal);
        }
        finally
        {
            serverHome.Delete(recursive: true);
        }
    }

    public void Dispose() => _home.Delete(recursive: true);
}
