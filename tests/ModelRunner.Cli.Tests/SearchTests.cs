using System.Text.Json;
using ModelRunner.Cli.Tests.StandIns;

namespace ModelRunner.Cli.Tests;

/// <summary><c>search</c> against loopback stand-ins that answer in Docker Hub's and the Hugging Face Hub's documented shapes.</summary>
public sealed class SearchTests : IAsyncLifetime
{
    private DockerHubStandIn? _hub;
    private HuggingFaceStandIn? _huggingFace;

    private DockerHubStandIn Hub => _hub!;

    private HuggingFaceStandIn HuggingFace => _huggingFace!;

    public async Task InitializeAsync()
    {
        var repositories = new List<(string, string, long, bool)>
        {
            ("llama3.2", "Meta's Llama 3.2, small and fast", 900_000, false),
            ("smollm2", "A tiny model in the llama family", 1_500_000, false),
            ("gemma3", "Google's Gemma 3", 700_000, false),
            ("secret-llama", "Not for everyone", 5_000_000, true),
        };
        // Enough more to need a second page of 100.
        repositories.AddRange(Enumerable.Range(1, 120).Select(i => ($"filler-{i:D3}", "A filler model", (long)i, false)));
        _hub = await DockerHubStandIn.StartAsync(repositories);
        _huggingFace = await HuggingFaceStandIn.StartAsync(
        [
            ("bartowski/Llama-3.2-1B-Instruct-GGUF", 2_000_000, ["gguf", "llama"]),
            ("unsloth/gemma-3-1b-it-GGUF", 800_000, ["gguf"]),
            ("meta-llama/Llama-3.2-1B", 3_000_000, ["safetensors"]),
        ]);
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await HuggingFace.DisposeAsync();
    }

    private Dictionary<string, string> Environment(Uri? hub = null, Uri? huggingFace = null) => new()
    {
        ["MODEL_RUNNER_DOCKER_HUB_URL"] = (hub ?? Hub.Address).ToString(),
        ["HF_ENDPOINT"] = (huggingFace ?? HuggingFace.Address).ToString(),
    };

    [Fact]
    public async Task Search_BothSources_FindsByNameOrDescription_AndSkipsPrivateAndNonGguf()
    {
        var (exit, output, error) = await CliProcess.RunAsync(["search", "llama", "--json"], Environment());

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var names = json.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF", "ai/smollm2", "ai/llama3.2"], names);
        var smollm2 = json.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "ai/smollm2");
        Assert.Equal(1_500_000, smollm2.GetProperty("downloads").GetInt64());
        Assert.Equal("Docker Hub", smollm2.GetProperty("source").GetString());
        Assert.Contains(Hub.Queries, query => query.Contains("ordering=-pull_count", StringComparison.Ordinal));
        Assert.Contains(HuggingFace.Queries, query => query.Contains("filter=gguf", StringComparison.Ordinal) && query.Contains("search=llama", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_Table_RespectsTheLimit_AndFollowsPages()
    {
        var table = await CliProcess.RunAsync(["search", "--source", "dockerhub", "-n", "2"], Environment());
        var many = await CliProcess.RunAsync(["search", "filler", "--source", "dockerhub", "--limit", "110", "--json"], Environment());

        Assert.Equal(0, table.ExitCode);
        var rows = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+DESCRIPTION\s+DOWNLOADS\s+STARS\s+SOURCE$", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("ai/smollm2", rows[1], StringComparison.Ordinal);
        Assert.Contains("1.5M", rows[1], StringComparison.Ordinal);
        Assert.Equal(0, many.ExitCode);
        Assert.Equal(110, JsonDocument.Parse(many.Output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Search_ACatalogueDown_IsAWarningWithAll_AndAFailureAlone()
    {
        var closed = new Uri("http://127.0.0.1:9/");

        var all = await CliProcess.RunAsync(["search", "gemma", "--json"], Environment(huggingFace: closed));
        var alone = await CliProcess.RunAsync(["search", "gemma", "--source", "huggingface"], Environment(huggingFace: closed));
        var badSource = await CliProcess.RunAsync(["search", "--source", "elsewhere"], Environment());
        var nothing = await CliProcess.RunAsync(["search", "no-such-model-anywhere"], Environment());

        Assert.Equal(0, all.ExitCode);
        Assert.Equal("ai/gemma3", Assert.Single(JsonDocument.Parse(all.Output).RootElement.EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("warning: Hugging Face could not be reached", all.Error, StringComparison.Ordinal);
        Assert.Equal(1, alone.ExitCode);
        Assert.Single(alone.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Hugging Face", alone.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, badSource.ExitCode);
        Assert.Equal(0, nothing.ExitCode);
        Assert.Contains("No models match", nothing.Output, StringComparison.Ordinal);
    }
}
