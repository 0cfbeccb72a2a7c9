using System.Text.Json;

namespace ModelRunner.Cli.Tests;

/// <summary><c>bench</c> against the real server: a short sweep, as JSON and as a table.</summary>
[Collection(CliServerCollection.Name)]
public sealed class BenchTests(CliServer server)
{
    [Fact]
    public async Task Bench_Json_HasALevelPerConcurrency_WithThroughputAndFirstTokenTimes()
    {
        var (exit, output, error) = await CliProcess.RunAsync(["bench", CliServer.Model, "--concurrency", "1,2", "--duration", "2s", "--max-tokens", "8", "--json"], server.Environment);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(CliServer.Model, json.RootElement.GetProperty("model").GetString());
        var levels = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([1, 2], levels.Select(level => level.GetProperty("concurrency").GetInt32()));
        Assert.All(levels, level =>
        {
            Assert.True(level.GetProperty("requests").GetInt32() >= level.GetProperty("concurrency").GetInt32());
            Assert.Equal(0, level.GetProperty("errors").GetInt32());
            // Every request asked for at most 8 tokens, and the server counted what it made.
            Assert.InRange(level.GetProperty("completion_tokens").GetInt64(), level.GetProperty("requests").GetInt32(), 8L * level.GetProperty("requests").GetInt32());
            Assert.True(level.GetProperty("tokens_per_second").GetDouble() > 0);
            Assert.True(level.GetProperty("requests_per_second").GetDouble() > 0);
            Assert.True(level.GetProperty("ttft_p50_ms").GetDouble() <= level.GetProperty("ttft_p99_ms").GetDouble());
        });
    }

    [Fact]
    public async Task Bench_Table_AndBadInput()
    {
        var table = await CliProcess.RunAsync(["bench", CliServer.Model, "--concurrency", "1", "--duration", "1s", "--max-tokens", "4"], server.Environment);
        var badLevel = await CliProcess.RunAsync(["bench", CliServer.Model, "--concurrency", "0,2"], server.Environment);
        var badDuration = await CliProcess.RunAsync(["bench", CliServer.Model, "--duration", "soon"], server.Environment);
        var unknown = await CliProcess.RunAsync(["bench", "ai/no-such-model", "--duration", "1s"], server.Environment);

        Assert.True(table.ExitCode == 0, table.Error);
        var rows = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^CONCURRENCY\s+REQUESTS\s+ERRORS\s+REQ/S\s+TOKENS/S\s+TTFT P50\s+TTFT P99$", rows[0]);
        Assert.Matches(@"^1\s+\d+\s+0\s+", rows[1]);
        foreach (var failed in new[] { badLevel, badDuration, unknown })
        {
            Assert.Equal(1, failed.ExitCode);
            Assert.Single(failed.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("modelrunner:", StringComparison.Ordinal));
        }

        Assert.Contains("--concurrency", badLevel.Error, StringComparison.Ordinal);
        Assert.Contains("--duration", badDuration.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-model", unknown.Error, StringComparison.Ordinal);
    }
}
