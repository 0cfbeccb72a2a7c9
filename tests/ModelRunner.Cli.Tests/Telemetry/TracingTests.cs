using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelRunner.Testing;

namespace ModelRunner.Cli.Tests.Telemetry;

/// <summary>Traces from a real <c>serve</c> process to a real OTLP/HTTP collector on loopback.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Serve_WithAnOtlpEndpoint_ExportsOneTracePerRequestFromHttpThroughTheGrainToTheEngine()
    {
        await using var collector = await OtlpTraceReceiver.StartAsync();
        var home = Directory.CreateTempSubdirectory("modelrunner-cli-otlp-").FullName;
        try
        {
            await using var server = await ServeProcess.StartAsync(
                home,
                new Dictionary<string, string>
                {
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    // Export each batch within a tenth of a second instead of the default five.
                    ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                },
                "--demo");
            using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
            var answer = await http.PostAsJsonAsync("/v1/chat/completions", new JsonObject
            {
                ["model"] = CliServer.Model,
                ["max_tokens"] = 3,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Trace me." }),
            });
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());

            await Eventually.TrueAsync(
                () => Generation(collector) is { } generate && collector.Spans.Any(span => span.TraceId == generate.TraceId && span.ParentSpanId == ""),
                "the engine's span and its request's root span reached the collector",
                TimeSpan.FromSeconds(60));

            var engine = Generation(collector)!;
            var trace = collector.Spans.Where(span => span.TraceId == engine.TraceId).ToDictionary(span => span.SpanId);
            var root = Assert.Single(trace.Values, span => span.ParentSpanId == "");
            Assert.StartsWith("POST", root.Name, StringComparison.Ordinal);

            // The engine's span hangs, through Orleans' grain call spans, from the HTTP request's.
            var chain = new List<ReceivedSpan>();
            for (var span = engine; span.ParentSpanId != ""; span = trace[span.ParentSpanId])
            {
                Assert.True(trace.ContainsKey(span.ParentSpanId), $"the parent of {span.Name} is not in the trace");
                chain.Add(trace[span.ParentSpanId]);
            }

            Assert.Equal(root, chain[^1]);
            Assert.Contains(chain, span => span.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static ReceivedSpan? Generation(OtlpTraceReceiver collector) =>
        collector.Spans.FirstOrDefault(span => span.Scope == "ModelRunner.Engine" && span.Name == "llama.generate");
}
