using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Models;

namespace ModelRunner.Bench;

/// <summary>
/// The HTTP path's cost: a real server (Kestrel on loopback, silo, model grain) serving
/// smollm2-360m, driven by an HTTP client in the same process, against the engine used directly.
/// Three figures: single-stream decode through SSE ÷ <see cref="RawDecodeLoop"/>; 8 concurrent SSE
/// clients ÷ <see cref="InferenceEngine"/> with 8 streams; and the time a max_tokens=1 request
/// takes through HTTP against the same request to the engine (p50, p99). Runs alternate.
/// </summary>
internal static class HttpBenchmark
{
    private const string Model = "bench/smollm2:360m";
    private const string Story = "The history of the city begins";
    private const int Streams = 8;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var home = Directory.CreateTempSubdirectory("modelrunner-bench-http-").FullName;
        try
        {
            await using var app = ModelRunnerServer.Build(new ServerOptions { Port = 0, Home = home, OrleansDashboard = Environment.GetEnvironmentVariable("MODEL_RUNNER_ORLEANS_DASHBOARD") is not "0" });
            var address = await ModelRunnerServer.StartAsync(app).ConfigureAwait(false);
            var distribution = app.Services.GetRequiredService<IModelDistribution>();
            var model = await distribution.PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            var settings = app.Services.GetRequiredService<ModelSettingsStore>();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
            // The baselines read the very file the server loads: a file that has sat in the page
            // cache for long may have been collapsed into huge pages, and a fresh copy of it
            // decodes ~30% slower until it is (measured here: 72 against 51 tok/s).
            using var weights = LlamaModel.Load(model.GgufPaths[0]);

            // MODELRUNNER_BENCH_ONLY=single|latency|streams runs one part (to iterate on it).
            var only = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_ONLY");
            await settings.SetAsync(model.Id, new ModelSettings(2048, ["--threads", $"{arguments.Threads}", "--parallel", "1"])).ConfigureAwait(false);
            if (only is null or "single")
            {
                await SingleStreamAsync(http, app.Services.GetRequiredService<IModelBackend>(), weights, arguments).ConfigureAwait(false);
            }

            if (only is null or "latency")
            {
                await LatencyAsync(http, weights, arguments).ConfigureAwait(false);
            }

            if (only is null or "streams")
            {
                await settings.SetAsync(model.Id, new ModelSettings(1024, ["--threads", $"{arguments.Threads}", "--parallel", $"{Streams}"])).ConfigureAwait(false);
                await ConcurrentStreamsAsync(http, weights, arguments).ConfigureAwait(false);
            }
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task SingleStreamAsync(HttpClient http, IModelBackend backend, LlamaModel weights, BenchArguments arguments)
    {
        using var raw = new RawDecodeLoop(weights, 2048, 512, arguments.Threads);
        var prompt = weights.Tokenize(Story, addSpecial: true);
        raw.Run(prompt, 16);
        await StreamAsync(http, Story, 16).ConfigureAwait(false);

        var rawRates = new List<double>();
        var httpRates = new List<double>();
        var backendRates = new List<double>();
        for (var run = 0; run < arguments.Runs; run++)
        {
            rawRates.Add(raw.Run(prompt, arguments.Tokens).DecodeTokensPerSecond);
            httpRates.Add((await StreamAsync(http, Story, arguments.Tokens).ConfigureAwait(false)).Rate);
            backendRates.Add(await BackendRateAsync(backend, arguments.Tokens).ConfigureAwait(false));
        }

        Console.WriteLine($"model           smollm2-360m Q4_K_M, {arguments.Threads} threads, {arguments.Runs} runs x {arguments.Tokens} tokens, medians");
        Console.WriteLine($"single stream   raw {Statistics.Median(rawRates):F2} tok/s   HTTP SSE {Statistics.Median(httpRates):F2} tok/s   (the backend without HTTP: {Statistics.Median(backendRates):F2} tok/s)");
        Console.WriteLine($"sse ratio       HTTP / raw = {Statistics.Median(httpRates) / Statistics.Median(rawRates):F3}   (target >= 0.97)");
    }

    private static async Task ConcurrentStreamsAsync(HttpClient http, LlamaModel weights, BenchArguments arguments)
    {
        var stories = Enumerable.Range(0, Streams).Select(i => $"Story number {i}: once upon a time, in a land far away,").ToArray();
        var prompts = stories.Select(story => weights.Tokenize(story, addSpecial: true)).ToArray();
        await using var engine = new InferenceEngine(weights, new EngineOptions { ContextSize = 1024, Sequences = Streams, Threads = arguments.Threads });
        var options = new GenerationOptions { MaxTokens = arguments.Tokens, Sampling = SamplingOptions.Greedy };

        async Task<double> EngineAsync(int tokens) => await AggregateAsync(prompts.Select(prompt => (Func<Task<int>>)(async () =>
        {
            GenerationResult? result = null;
            await foreach (var update in engine.GenerateAsync(prompt, options with { MaxTokens = tokens }).ConfigureAwait(false))
            {
                result = update.Result ?? result;
            }

            return result!.CompletionTokens;
        }))).ConfigureAwait(false);

        async Task<double> HttpAsync(int tokens) => await AggregateAsync(stories.Select(story => (Func<Task<int>>)(async () =>
            (await StreamAsync(http, story, tokens).ConfigureAwait(false)).Tokens))).ConfigureAwait(false);

        await EngineAsync(8).ConfigureAwait(false);
        await HttpAsync(8).ConfigureAwait(false);
        var engineRates = new List<double>();
        var httpRates = new List<double>();
        for (var run = 0; run < arguments.Runs; run++)
        {
            engineRates.Add(await EngineAsync(arguments.Tokens).ConfigureAwait(false));
            httpRates.Add(await HttpAsync(arguments.Tokens).ConfigureAwait(false));
        }

        Console.WriteLine($"8 streams       engine {Statistics.Median(engineRates):F2} tok/s   HTTP SSE {Statistics.Median(httpRates):F2} tok/s (aggregate, wall clock)");
        Console.WriteLine($"8-stream ratio  HTTP / engine = {Statistics.Median(httpRates) / Statistics.Median(engineRates):F3}   (target >= 0.95)");
    }

    private static async Task LatencyAsync(HttpClient http, LlamaModel weights, BenchArguments arguments)
    {
        await using var engine = new InferenceEngine(weights, new EngineOptions { ContextSize = 2048, Sequences = 1, Threads = arguments.Threads });
        var prompt = weights.Tokenize(Story, addSpecial: true);
        var options = new GenerationOptions { MaxTokens = 1, Sampling = SamplingOptions.Greedy };
        var body = new JsonObject { ["model"] = Model, ["prompt"] = Story, ["max_tokens"] = 1, ["temperature"] = 0 };

        var engineTimes = new List<double>();
        var httpTimes = new List<double>();
        var requests = Math.Max(50, arguments.Runs * 20);
        for (var i = 0; i < requests + 5; i++)
        {
            var clock = Stopwatch.StartNew();
            await foreach (var _ in engine.GenerateAsync(prompt, options).ConfigureAwait(false))
            {
            }

            var engineMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using var response = await http.PostAsJsonAsync("/engines/v1/completions", body).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var httpMs = clock.Elapsed.TotalMilliseconds;

            // The first few warm both paths (JIT, compute buffers, the prompt's cached prefix).
            if (i >= 5)
            {
                engineTimes.Add(engineMs);
                httpTimes.Add(httpMs);
            }
        }

        var added = engineTimes.Zip(httpTimes, (engineMs, httpMs) => httpMs - engineMs).ToList();
        Console.WriteLine($"max_tokens=1    engine p50 {Statistics.Median(engineTimes):F1} ms p99 {Statistics.Percentile(engineTimes, 99):F1} ms   HTTP p50 {Statistics.Median(httpTimes):F1} ms p99 {Statistics.Percentile(httpTimes, 99):F1} ms ({requests} requests)");
        Console.WriteLine($"added latency   HTTP - engine: p50 {Statistics.Median(added):F1} ms   p99 {Statistics.Percentile(added, 99):F1} ms");
    }

    /// <summary>The same greedy chat through the server's model backend (grain and all), without HTTP: where the cost lies.</summary>
    private static async Task<double> BackendRateAsync(IModelBackend backend, int maxTokens)
    {
        var request = new BackendRequest
        {
            Model = Model,
            Prompt = ModelPrompt.Chat([new PromptMessage("user", Story)]),
            Options = new GenerationOptions { MaxTokens = maxTokens },
            Sampling = new SamplingOverrides { Temperature = 0 },
        };
        long first = 0, last = 0;
        var tokens = 0;
        await foreach (var update in backend.GenerateAsync(request).ConfigureAwait(false))
        {
            if (update.Text.Length > 0)
            {
                last = Stopwatch.GetTimestamp();
                first = first == 0 ? last : first;
            }

            tokens = update.Result?.Generation.CompletionTokens ?? tokens;
        }

        return (tokens - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    }

    /// <summary>Aggregate tokens/s of concurrent generations over the wall clock, from the first start to the last end.</summary>
    private static async Task<double> AggregateAsync(IEnumerable<Func<Task<int>>> generations)
    {
        var clock = Stopwatch.StartNew();
        var tokens = await Task.WhenAll(generations.Select(generate => Task.Run(generate))).ConfigureAwait(false);
        return tokens.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A greedy chat completion streamed over SSE; the rate counts the tokens after the first over
    /// the time from the first content chunk to the last, as a reader of the stream sees it.
    /// </summary>
    internal static async Task<(double Rate, int Tokens)> StreamAsync(HttpClient http, string prompt, int maxTokens, string model = Model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));

        long first = 0, last = 0;
        var tokens = 0;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                tokens = usage.GetProperty("completion_tokens").GetInt32();
            }

            if (chunk.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 })
            {
                last = Stopwatch.GetTimestamp();
                first = first == 0 ? last : first;
            }
        }

        return ((tokens - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds, tokens);
    }
}
