using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Registry;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;
using ModelRunner.Testing;

namespace ModelRunner.Bench.Soak;

/// <summary>
/// Mixed load on a real <c>modelrunner serve</c> process for <c>MODELRUNNER_SOAK_MINUTES</c> (30):
/// <c>MODELRUNNER_SOAK_CLIENTS</c> (8) clients, three chat models of which the memory budget holds
/// two (switches every <c>MODELRUNNER_SOAK_SWITCH_SECONDS</c>, 30, force evictions) and an embedding
/// model. Samples the server's resident memory from /proc every 5 s. See <see cref="SoakReport"/>
/// for the verdicts.
/// </summary>
internal static partial class SoakBenchmark
{
    private const string Embedding = "soak/embed";
    private static readonly string[] ChatModels = ["soak/chat-a", "soak/chat-b", "soak/chat-c"];

    public static async Task RunAsync(BenchArguments arguments)
    {
        var duration = TimeSpan.FromMinutes(Setting("MODELRUNNER_SOAK_MINUTES", 30));
        var clients = (int)Setting("MODELRUNNER_SOAK_CLIENTS", 8);
        var switchEvery = TimeSpan.FromSeconds(Setting("MODELRUNNER_SOAK_SWITCH_SECONDS", 30));
        var shape = TestModelShape.Parse(Environment.GetEnvironmentVariable("MODELRUNNER_SOAK_SHAPE") ?? TestModelShape.Tiny.Name);
        var home = Directory.CreateTempSubdirectory("modelrunner-bench-soak-").FullName;
        try
        {
            await PackageAsync(Path.Combine(home, "models"), shape).ConfigureAwait(false);
            var budget = await CalibrateAsync(home, arguments).ConfigureAwait(false);
            Console.WriteLine($"soak            {duration.TotalMinutes:F1} min, {clients} clients, chat models {shape.Name} x{ChatModels.Length} switching every {switchEvery.TotalSeconds:F0} s, memory budget {budget / (1 << 20)} MiB (two chat models and the embedding model)");

            using var server = await ServeAsync(home, budget).ConfigureAwait(false);
            using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
            await ConfigureAsync(http, arguments).ConfigureAwait(false);

            var clock = Stopwatch.StartNew();
            var rss = new List<(TimeSpan, long)>();
            using var sampling = new CancellationTokenSource();
            var sampler = SampleRssAsync(server.Process, clock, rss, sampling.Token);
            var runs = Enumerable.Range(0, clients).Select(i => Task.Run(() => new SoakClient(http, i, ChatModels, Embedding, switchEvery, clock).RunAsync(duration))).ToArray();
            var samples = (await Task.WhenAll(runs).ConfigureAwait(false)).SelectMany(list => list).OrderBy(s => s.At).ToList();
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);

            var serverErrors = ServerErrors(await http.GetStringAsync("/metrics").ConfigureAwait(false));
            if (!SoakReport.Write(samples, rss, duration, clock.Elapsed, serverErrors))
            {
                Environment.ExitCode = 1;
                // What the server logged of it: a stream that failed after it started is a 200 to /metrics.
                Console.WriteLine("server log (warnings and failures):");
                Console.WriteLine(await http.GetStringAsync("/logs").ConfigureAwait(false));
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Three chat models of different weights (different ids, so each loads on its own) and a BERT for embeddings, into the store the server opens.</summary>
    private static async Task PackageAsync(string store, TestModelShape shape)
    {
        using var distribution = ModelDistribution.Create(new ModelDistributionOptions { StorePath = store, Credentials = RegistryCredentials.None });
        var models = ChatModels.Select((name, i) => (name, shape, seed: (ulong)i + 1)).Append((Embedding, TestModelShape.BertTiny, 1UL));
        foreach (var (name, modelShape, seed) in models)
        {
            var gguf = Path.Combine(store, $"{Guid.NewGuid():N}.gguf");
            TestModelBuilder.Write(gguf, modelShape, modelShape == TestModelShape.SmolLM2_360M ? LlamaFileType.Q4_K_M : LlamaFileType.MostlyF16, seed);
            await distribution.PackageAsync(new PackageRequest { GgufPaths = [gguf], Tags = [name] }).ConfigureAwait(false);
            File.Delete(gguf);
        }
    }

    /// <summary>
    /// Loads one chat model and the embedding model on an unlimited server and reads their estimates
    /// from <c>/engines/ps</c>: the budget is both, plus one more chat model and half of one again.
    /// </summary>
    private static async Task<long> CalibrateAsync(string home, BenchArguments arguments)
    {
        using var server = await ServeAsync(home, budget: null).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        await ConfigureAsync(http, arguments).ConfigureAwait(false);
        (await http.PostAsJsonAsync("/engines/v1/chat/completions", new JsonObject
        {
            ["model"] = ChatModels[0],
            ["max_tokens"] = 1,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/engines/v1/embeddings", new JsonObject { ["model"] = Embedding, ["input"] = "Hi" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        var loaded = await http.GetFromJsonAsync<JsonArray>("/engines/ps").ConfigureAwait(false) ?? [];
        long Memory(string model) => loaded.First(runner => runner!["model"]!.GetValue<string>().StartsWith(model, StringComparison.Ordinal))!["memory"]!.GetValue<long>();
        var chat = Memory(ChatModels[0]);
        return Memory(Embedding) + chat * 5 / 2;
    }

    private static async Task ConfigureAsync(HttpClient http, BenchArguments arguments)
    {
        foreach (var model in ChatModels)
        {
            (await http.PostAsJsonAsync("/engines/_configure", new JsonObject
            {
                ["model"] = model,
                ["context_size"] = 1024,
                // The conversations' RAM cache of saved KV state is bounded by design (a tenth of the
                // machine's memory by default) and fills for the whole run, since the clients keep
                // starting conversations: a small cap lets the drift show the server's own memory.
                ["runtime_flags"] = new JsonArray("--threads", $"{arguments.Threads}", "--parallel", "4", "--cache-ram", "16"),
            }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        }
    }

    private static async Task SampleRssAsync(Process server, Stopwatch clock, List<(TimeSpan, long)> rss, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            var status = await File.ReadAllTextAsync($"/proc/{server.Id}/status", CancellationToken.None).ConfigureAwait(false);
            var kib = long.Parse(VmRss().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
            rss.Add((clock.Elapsed, kib * 1024));
        }
        while (await Continue(timer, cancellationToken).ConfigureAwait(false));

        static async Task<bool> Continue(PeriodicTimer timer, CancellationToken cancellationToken)
        {
            try
            {
                return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>The server's own count of 5xx answers from <c>/metrics</c>, less 503 (busy) and 507 (does not fit).</summary>
    private static long ServerErrors(string metrics) => ServerErrorLine().Matches(metrics)
        .Where(match => match.Groups[1].Value is not ("503" or "507"))
        .Sum(match => long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));

    private static Task<ServeProcess> ServeAsync(string home, long? budget)
    {
        var environment = new Dictionary<string, string>
        {
            ["MODEL_RUNNER_ORLEANS_DASHBOARD"] = "0",
            // The log ring (/logs) then keeps 30 minutes of warnings and failures, not the last
            // few model loads' llama.cpp lines.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (budget is { } bytes)
        {
            environment["MODEL_RUNNER_MEMORY_BYTES"] = bytes.ToString(CultureInfo.InvariantCulture);
        }

        return ServeProcess.StartAsync(BuiltCli.Dll(), home, environment);
    }

    private static double Setting(string name, double fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    [GeneratedRegex(@"^VmRSS:\s+(\d+) kB", RegexOptions.Multiline)]
    private static partial Regex VmRss();

    [GeneratedRegex(@"^modelrunner_http_requests_total\{[^}]*status=""(5\d\d)""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex ServerErrorLine();
}
