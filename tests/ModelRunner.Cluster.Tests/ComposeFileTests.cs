using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelRunner.Cluster.Tests;

/// <summary>
/// Docker cannot run here, so docker-compose.yml is checked statically: its runner nodes run
/// exactly the command and cluster environment the multi-process tests run, against its own
/// PostgreSQL, and its app gets a model through Compose's <c>models:</c>.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Load();

    [Theory]
    [InlineData("runner1")]
    [InlineData("runner2")]
    [InlineData("runner3")]
    public void Runner_RunsServeAsTheClusterTestsDo(string name)
    {
        var runner = Service(name);

        var command = ((YamlSequenceNode)runner["command"]).Children.Select(node => ((YamlScalarNode)node).Value!).ToList();
        var environment = (YamlMappingNode)runner["environment"];
        var cluster = ((YamlScalarNode)environment["MODEL_RUNNER_CLUSTER"]).Value!;

        Assert.Equal(ClusterNodeProcess.ServeArguments(12434, 11111, name), command);
        Assert.Contains("Host=postgres", cluster, StringComparison.Ordinal);
        Assert.Equal("0.0.0.0", ((YamlScalarNode)environment["MODEL_RUNNER_HOST_ADDRESS"]).Value);
        Assert.Contains($"{name}:12434", ((YamlScalarNode)environment["INSECURE_REGISTRY"]).Value, StringComparison.Ordinal);
        Assert.Equal(".", ((YamlScalarNode)runner["build"]).Value);
    }

    [Fact]
    public void Postgres_CredentialsMatchTheRunnersConnectionString()
    {
        var postgres = (YamlMappingNode)Service("postgres")["environment"];
        var cluster = ((YamlScalarNode)((YamlMappingNode)Service("runner1")["environment"])["MODEL_RUNNER_CLUSTER"]).Value!;
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(cluster);

        Assert.Equal(((YamlScalarNode)postgres["POSTGRES_USER"]).Value, settings.Username);
        Assert.Equal(((YamlScalarNode)postgres["POSTGRES_PASSWORD"]).Value, settings.Password);
        Assert.Equal(((YamlScalarNode)postgres["POSTGRES_DB"]).Value, settings.Database);
    }

    [Fact]
    public void App_UsesAModelThroughComposeModels()
    {
        var app = Service("app");
        var models = (YamlMappingNode)Compose["models"];

        var wanted = ((YamlMappingNode)app["models"]).Children.Keys.Select(key => ((YamlScalarNode)key).Value).Single();
        Assert.True(models.Children.ContainsKey(new YamlScalarNode(wanted)), $"the app asks for model {wanted}, which the file does not define");
        Assert.StartsWith("ai/", ((YamlScalarNode)((YamlMappingNode)models[wanted!])["model"]).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_RunsServeAndStopsOnSigterm()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "Dockerfile"));

        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/modelrunner.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"serve\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("STOPSIGNAL SIGTERM", dockerfile, StringComparison.Ordinal);
        Assert.Contains("eng/fetch-llama.sh", dockerfile, StringComparison.Ordinal);
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose["services"])[name];

    private static YamlMappingNode Load()
    {
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        var stream = new YamlStream();
        // Compose's `<<: *runner` merges are resolved as Compose resolves them.
        stream.Load(new MergingParser(new Parser(reader)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelRunner.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (ModelRunner.sln) is not above the test binaries");
    }
}
