using System.Net.Http.Json;

namespace ModelRunner.Api.Tests.Dmr;

/// <summary>
/// <c>/metrics</c> (our meter and Orleans' through OpenTelemetry's Prometheus exporter) and
/// <c>/logs</c> (llama.cpp's own lines). Alone in their collection, run after every parallel one:
/// meters are process-wide by name, so another test's server would add its requests and tokens to
/// the counts asserted here; and llama.cpp's log goes to the server started last.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class ProcessWideTelemetryTests
{
    private static Task<HttpResponseMessage> ChatAsync(TestServer server, int maxTokens = 3) =>
        server.Http.PostAsJsonAsync("/engines/v1/chat/completions", new { model = TestServer.Model, messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = maxTokens });

    [Fact]
    public async Task Metrics_ArePrometheusText_CountingRequestsAndTokens()
    {
        await using var server = await TestServer.StartAsync();
        await ChatAsync(server);

        // OpenTelemetry's exporter labels every series with its meter (otel_scope_name) ahead of our own labels.
        const string Scope = @"otel_scope_name=""ModelRunner""";
        // A request is counted once its response has gone out, which the client may see first.
        var metrics = "";
        await Eventually.TrueAsync(async () => (metrics = await server.Http.GetStringAsync("/metrics")).Contains(@"family=""openai""", StringComparison.Ordinal), "the chat should be counted");
        Assert.Matches($@"modelrunner_http_requests_total\{{{Scope},family=""openai"",method=""POST"",status=""200""\}} 1\n", metrics);
        Assert.Matches($@"modelrunner_generated_tokens_total\{{{Scope},model=""ai/tiny-random""\}} 3\n", metrics);
        Assert.Matches($@"modelrunner_time_to_first_token_seconds_count\{{{Scope},model=""ai/tiny-random""\}} 1\n", metrics);
        Assert.Matches($@"modelrunner_loaded_models\{{{Scope}\}} 1\n", metrics);
        Assert.Matches($@"modelrunner_memory_budget_bytes\{{{Scope}\}} {8L << 30}\n", metrics);
        // Orleans' own meter is exported beside ours: the chat activated a model grain.
        Assert.Matches(@"orleans_catalog_activation_created_total\{[^}]*\} [1-9]", metrics);
        Assert.All(metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
            Assert.Matches(@"^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[0-9.e+E-]+)$", line));
    }

    [Fact]
    public async Task Logs_HoldLlamaCppsOwnLines_AndWhatTheEngineAndTheStoreDid()
    {
        await using var server = await TestServer.StartAsync();
        await ChatAsync(server);

        var logs = (await server.Http.GetStringAsync("/logs")).Split('\n');

        // llama.cpp's loader reports the file it reads through its log callback.
        Assert.Contains(logs, line => line.Contains(" llama.cpp: llama_model_loader:", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains(": Loaded ", StringComparison.Ordinal) && line.Contains("bytes of weights", StringComparison.Ordinal));
        // The test server packages its embedding model through the distribution.
        Assert.Contains(logs, line => line.Contains($"ModelRunner.Distribution: Finished the package of {TestServer.EmbeddingModel}", StringComparison.Ordinal));
        // The chat placed grains; Orleans' placement pipeline (Polly) logs two lines per placement
        // at information level, which drowned these.
        Assert.DoesNotContain(logs, line => line.Contains("Polly", StringComparison.Ordinal));
    }
}
