using System.Diagnostics;
using System.Text.Json;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Cli.Tests;

/// <summary>Every verb, run as a child process against a real server.</summary>
[Collection(CliServerCollection.Name)]
public sealed class VerbTests(CliServer server) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("modelrunner-cli-verbs-");

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => CliProcess.RunAsync(arguments, server.Environment);

    private async Task<string> SucceedAsync(params string[] arguments)
    {
        var (exit, output, error) = await RunAsync(arguments);
        Assert.True(exit == 0, $"modelrunner {string.Join(' ', arguments)} exited {exit}: {error}");
        return output;
    }

    [Fact]
    public async Task StatusAndVersion()
    {
        using var status = JsonDocument.Parse(await SucceedAsync("status", "--json"));
        var version = await SucceedAsync("version");

        Assert.True(status.RootElement.GetProperty("running").GetBoolean());
        Assert.StartsWith("Running: llama.cpp", status.RootElement.GetProperty("engines").GetProperty("llama.cpp").GetString(), StringComparison.Ordinal);
        Assert.Contains("Server: ", version, StringComparison.Ordinal);
        Assert.Contains("is running", await SucceedAsync("status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TableJsonOpenAiAndQuiet()
    {
        var table = (await SucceedAsync("ls")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var json = JsonDocument.Parse(await SucceedAsync("list", "--json"));
        using var openAi = JsonDocument.Parse(await SucceedAsync("ls", "--openai"));
        var quiet = (await SucceedAsync("ls", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^MODEL\s+PARAMETERS\s+QUANTIZATION\s+ARCHITECTURE\s+MODEL ID\s+CREATED\s+SIZE$", table[0]);
        Assert.Contains(table, row => row.StartsWith(CliServer.Model + ":latest", StringComparison.Ordinal) && row.Contains("llama", StringComparison.Ordinal));
        var model = json.RootElement.EnumerateArray().Single(item => item.GetProperty("tags")[0].GetString() == CliServer.Model + ":latest");
        Assert.StartsWith("sha256:", model.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("gguf", model.GetProperty("config").GetProperty("format").GetString());
        Assert.Equal("list", openAi.RootElement.GetProperty("object").GetString());
        Assert.Contains(model.GetProperty("id").GetString()![7..19], quiet);
    }

    [Fact]
    public async Task Run_OneShotAndPiped_PrintAnAnswer()
    {
        var oneShot = await SucceedAsync("run", CliServer.Model, "Hello", "there");
        var piped = await CliProcess.RunAsync(["run", CliServer.Model], server.Environment, input: "Hello from a pipe\n");

        Assert.False(string.IsNullOrWhiteSpace(oneShot));
        Assert.Equal(0, piped.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(piped.Output));
        var requests = (await SucceedAsync("requests", "--model", CliServer.Model)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(requests, line => line.Contains("Hello from a pipe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DetachPsUnload()
    {
        Assert.Contains("Loaded", await SucceedAsync("run", "--detach", CliServer.Model), StringComparison.Ordinal);
        var ps = await SucceedAsync("ps");
        Assert.Contains(CliServer.Model + ":latest", ps, StringComparison.Ordinal);
        Assert.Contains("llama.cpp", ps, StringComparison.Ordinal);

        Assert.Contains("Unloaded", await SucceedAsync("unload", "--all"), StringComparison.Ordinal);
        Assert.DoesNotContain(CliServer.Model, await SucceedAsync("ps"), StringComparison.Ordinal);
        Assert.Contains("Models", await SucceedAsync("df"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureThenShow()
    {
        await SucceedAsync("configure", "--context-size", "512", "--keep-alive", "10m", CliServer.Model, "--", "--temp", "0.5");
        using var shown = JsonDocument.Parse(await SucceedAsync("configure", "show", CliServer.Model));

        Assert.Equal(512, shown.RootElement.GetProperty("context-size").GetInt32());
        Assert.Equal(["--temp", "0.5"], shown.RootElement.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
        var refused = await RunAsync("configure", CliServer.Model, "--", "--model", "/etc/passwd");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--model", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_ThinkAndReasoningBudget_BecomeTheReasoningBudgetFlag()
    {
        await SucceedAsync("configure", "--context-size", "512", "--reasoning-budget", "8", CliServer.Model);
        using var budget = JsonDocument.Parse(await SucceedAsync("configure", "show", CliServer.Model));
        await SucceedAsync("configure", "--context-size", "512", "--think", CliServer.Model);
        using var think = JsonDocument.Parse(await SucceedAsync("configure", "show", CliServer.Model));
        var contradiction = await RunAsync("configure", "--think", "--reasoning-budget", "0", CliServer.Model);
        await SucceedAsync("configure", "--context-size", "512", CliServer.Model);

        Assert.Equal(["--reasoning-budget", "8"], budget.RootElement.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.Equal(["--reasoning-budget", "-1"], think.RootElement.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.Equal(1, contradiction.ExitCode);
        Assert.Single(contradiction.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--reasoning-budget 0", contradiction.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureSpeculative_StoresTheDraftFlags_AndNeedsADraftModel()
    {
        try
        {
            await SucceedAsync("configure", "--context-size", "512", "--speculative-draft-model", CliServer.Model, "--speculative-num-tokens", "4", "--speculative-min-acceptance-rate", "0.2", CliServer.Model);
            using var shown = JsonDocument.Parse(await SucceedAsync("configure", "show", CliServer.Model));

            Assert.Equal(["--model-draft", CliServer.Model, "--draft-max", "4", "--draft-p-min", "0.2"], shown.RootElement.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
            var refused = await RunAsync("configure", "--speculative-num-tokens", "4", CliServer.Model);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("--speculative-draft-model", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            // The server is shared: leave its model as the fixture configured it.
            await SucceedAsync("configure", "--context-size", "512", CliServer.Model);
        }
    }

    [Fact]
    public async Task PackagePushPullRemove_ThroughARealRegistry()
    {
        await using var registry = await RegistryServer.StartAsync();
        var gguf = Path.Combine(_folder.FullName, "small.gguf");
        var license = Path.Combine(_folder.FullName, "LICENSE");
        var notice = Path.Combine(_folder.FullName, "NOTICE");
        await File.WriteAllTextAsync(license, "Free to use.");
        await File.WriteAllTextAsync(notice, "Made for a test.");
        await SucceedAsync("testmodel", "--shape", "tiny", "--seed", "11", "--out", gguf);
        var target = $"{registry.Host}/cli/small:v1";

        // DMR's --push publishes instead of loading: the server has the model only once it pulls it.
        var pushed = await SucceedAsync("package", "--gguf", gguf, "--license", license, "-l", notice, "--context-size", "256", "--push", target);
        var pulled = await SucceedAsync("pull", target);
        await SucceedAsync("tag", target, "cli/renamed:v2");
        using var inspected = JsonDocument.Parse(await SucceedAsync("inspect", "cli/renamed:v2"));
        var removed = await SucceedAsync("rm", target, "cli/renamed:v2");

        Assert.Contains("pushed successfully", pushed, StringComparison.Ordinal);
        // Not a terminal: progress is plain lines, ending at 100% for each layer.
        Assert.Contains("(100%)", pulled, StringComparison.Ordinal);
        Assert.Contains(target, inspected.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal(256, inspected.RootElement.GetProperty("config").GetProperty("context_size").GetInt32());
        Assert.Contains("Deleted: sha256:", removed, StringComparison.Ordinal);
        var missing = await RunAsync("pull", $"{registry.Host}/cli/absent:v1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(missing.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Package_GgufThenTarget_LandsInTheLocalStore_WithItsLicensesAndProjector()
    {
        var gguf = Path.Combine(_folder.FullName, "local.gguf");
        var projector = Path.Combine(_folder.FullName, "mmproj-local.gguf");
        var license = Path.Combine(_folder.FullName, "LICENSE");
        await File.WriteAllTextAsync(license, "Free to use.");
        await SucceedAsync("testmodel", "--shape", "tiny", "--seed", "21", "--out", gguf);
        await SucceedAsync("testmodel", "--shape", "tiny", "--seed", "22", "--out", projector);

        // The form that used to fail with "Required argument missing": --gguf takes one value, TARGET follows.
        var packaged = await SucceedAsync("package", "--gguf", gguf, "cli/local:v1");
        var withFiles = await SucceedAsync("package", "--gguf", gguf, "--license", license, "--mmproj", projector, "--context-size", "300", "cli/vision:v1");
        var cncf = await SucceedAsync("package", "--gguf", gguf, "--format", "cncf", "cli/pack:v1");
        using var local = JsonDocument.Parse(await SucceedAsync("inspect", "cli/local:v1"));
        using var vision = JsonDocument.Parse(await SucceedAsync("inspect", "cli/vision:v1"));

        Assert.StartsWith("Packaged cli/local:v1", packaged, StringComparison.Ordinal);
        Assert.Single(packaged.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Packaged cli/vision:v1", withFiles, StringComparison.Ordinal);
        Assert.StartsWith("Packaged cli/pack:v1", cncf, StringComparison.Ordinal);
        Assert.Equal(300, vision.RootElement.GetProperty("config").GetProperty("context_size").GetInt32());
        Assert.NotEqual(local.RootElement.GetProperty("id").GetString(), vision.RootElement.GetProperty("id").GetString());
        var list = await SucceedAsync("ls");
        Assert.Contains("cli/local:v1", list, StringComparison.Ordinal);
        Assert.Contains("cli/pack:v1", list, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await SucceedAsync("run", "cli/vision:v1", "Hello")));
    }

    [Fact]
    public async Task Package_From_MakesAVariant_OnTheServer_OrPushesIt()
    {
        await using var registry = await RegistryServer.StartAsync();

        var variant = await SucceedAsync("package", "--from", CliServer.Model, "--context-size", "1024", "cli/tiny:1k");
        using var inspected = JsonDocument.Parse(await SucceedAsync("inspect", "cli/tiny:1k"));
        var pushed = await SucceedAsync("package", "--from", "cli/tiny:1k", "--push", $"{registry.Host}/cli/tiny:1k");
        using var remote = JsonDocument.Parse(await SucceedAsync("inspect", "--remote", $"{registry.Host}/cli/tiny:1k"));

        Assert.StartsWith($"Repackaged {CliServer.Model} as cli/tiny:1k", variant, StringComparison.Ordinal);
        Assert.Equal(1024, inspected.RootElement.GetProperty("config").GetProperty("context_size").GetInt32());
        Assert.Contains("pushed successfully", pushed, StringComparison.Ordinal);
        Assert.Equal(inspected.RootElement.GetProperty("id").GetString(), remote.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Package_BadInput_IsOneLineAndExit1()
    {
        var gguf = Path.Combine(_folder.FullName, "bad.gguf");
        await SucceedAsync("testmodel", "--shape", "tiny", "--seed", "31", "--out", gguf);

        var neither = await RunAsync("package", "cli/none:v1");
        var both = await RunAsync("package", "--gguf", gguf, "--from", CliServer.Model, "cli/both:v1");
        var cncfContext = await RunAsync("package", "--gguf", gguf, "--format", "cncf", "--context-size", "512", "cli/cncf:v1");
        var missingFile = await RunAsync("package", "--gguf", Path.Combine(_folder.FullName, "absent.gguf"), "cli/absent:v1");
        var unknownSource = await RunAsync("package", "--from", "cli/nowhere:v1", "--context-size", "512", "cli/nowhere:v2");

        foreach (var (exit, _, error) in new[] { neither, both, cncfContext, missingFile, unknownSource })
        {
            Assert.Equal(1, exit);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Contains("--gguf", neither.Error, StringComparison.Ordinal);
        Assert.Contains("context size", cncfContext.Error, StringComparison.Ordinal);
        Assert.Contains("absent.gguf", missingFile.Error, StringComparison.Ordinal);
        Assert.Contains("nowhere", unknownSource.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_MetadataAndUp_SpeakTheProviderProtocol()
    {
        using var metadata = JsonDocument.Parse(await SucceedAsync("compose", "metadata"));
        Assert.Contains("model", metadata.RootElement.GetProperty("up").GetProperty("parameters").EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()));

        var lines = (await SucceedAsync("compose", "--project-name", "shop", "up", "--model", CliServer.Model, "--context-size", "1024", "ai_runner"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        Assert.All(lines, line => Assert.Contains(line.GetProperty("type").GetString(), new[] { "info", "debug", "setenv" }));
        // Compose prefixes each setenv with the provider service's name: AI_RUNNER_URL, AI_RUNNER_MODEL.
        var environment = lines.Where(line => line.GetProperty("type").GetString() == "setenv")
            .Select(line => line.GetProperty("message").GetString()!.Split('=', 2))
            .ToDictionary(pair => "AI_RUNNER_" + pair[0], pair => pair[1]);
        Assert.Equal(server.Address + "engines/v1/", environment["AI_RUNNER_URL"]);
        Assert.Equal(CliServer.Model, environment["AI_RUNNER_MODEL"]);
        Assert.Contains(CliServer.Model, await SucceedAsync("ps"), StringComparison.Ordinal);
        Assert.Equal("info", JsonDocument.Parse(await SucceedAsync("compose", "--project-name", "shop", "down", "ai_runner")).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task LogsHaveLines_AndPluginMetadataIsDockers()
    {
        Assert.Contains("info", await SucceedAsync("logs"), StringComparison.Ordinal);
        using var plugin = JsonDocument.Parse(await SucceedAsync("docker-cli-plugin-metadata"));
        Assert.Equal("0.1.0", plugin.RootElement.GetProperty("SchemaVersion").GetString());
        // As a Docker CLI plugin the binary is called with the plugin's name first.
        Assert.Contains("is running", await SucceedAsync("model", "status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_SaysHowToStartIt_AndExits1()
    {
        var down = new Dictionary<string, string> { ["MODEL_RUNNER_HOST"] = "http://127.0.0.1:9" };

        var status = await CliProcess.RunAsync(["status"], down);
        var list = await CliProcess.RunAsync(["ls"], down);

        Assert.Equal(1, status.ExitCode);
        Assert.Contains("not running", status.Output, StringComparison.Ordinal);
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("modelrunner serve", list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFlags_AreAUsageError()
    {
        var (exit, _, error) = await RunAsync("ls", "--no-such-flag");
        var missing = await RunAsync("unload");

        Assert.NotEqual(0, exit);
        Assert.Contains("--no-such-flag", error, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--all", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InteractiveChat_OnATerminal_KeepsContextAcrossTurns_UntilBye()
    {
        // script(1) gives the CLI a pseudo-terminal, as a user's shell would.
        var start = new ProcessStartInfo("script");
        foreach (var argument in new[] { "-qfec", $"dotnet {CliProcess.Dll} run {CliServer.Model}", "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        var before = (await SucceedAsync("requests", "--model", CliServer.Model)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var (exit, output, error) = await CliProcess.RunAsync(start, server.Environment, input: "/set max_tokens 6\nMy name is Ada.\n\"\"\"What is\nmy name?\"\"\"\n/bye\n");

        Assert.True(exit == 0, error + output);
        Assert.Contains("Chatting with", output, StringComparison.Ordinal);
        var turns = (await SucceedAsync("requests", "--model", CliServer.Model)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(before)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, turns.Count);
        var first = turns[0].GetProperty("tokens");
        var second = turns[1].GetProperty("tokens");
        // The second turn's prompt holds the first turn, question and answer, which the server kept.
        Assert.True(second.GetProperty("prompt").GetInt32() > first.GetProperty("prompt").GetInt32() + first.GetProperty("completion").GetInt32());
        Assert.True(second.GetProperty("cached").GetInt32() >= first.GetProperty("prompt").GetInt32());
        Assert.Contains("What is\\nmy name?", turns[1].GetProperty("request").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
