using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Testing;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Models;
using ModelRunner.Testing;

namespace ModelRunner.Bench;

/// <summary>
/// The cluster's costs, on loopback with a real PostgreSQL: a model pulled from a peer node's
/// store against the same pull from a real registry; one stream through a node that does not host
/// the model against one through the node that does; and the time from <c>kill -9</c> of the node
/// hosting a model to the next successful answer on a survivor.
/// </summary>
internal static class ClusterBenchmark
{
    private const string Model = "bench/smollm2:360m";
    private const string Story = "The history of the city begins";

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var only = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_ONLY");
        if (only is null or "pull")
        {
            await PeerPullAsync(path, arguments).ConfigureAwait(false);
        }

        await using var postgres = await PostgresServer.StartAsync().ConfigureAwait(false);
        if (only is null or "stream")
        {
            await RemoteStreamAsync(path, postgres, arguments).ConfigureAwait(false);
        }

        if (only is null or "failover")
        {
            await FailoverAsync(postgres, arguments).ConfigureAwait(false);
        }
    }

    private static async Task PeerPullAsync(string path, BenchArguments arguments)
    {
        var work = Directory.CreateTempSubdirectory("modelrunner-bench-cluster-pull-");
        try
        {
            await using var registry = await RegistryServer.StartAsync().ConfigureAwait(false);
            var fromRegistry = $"{registry.Host}/{Model}";
            using (var publisher = Distribution(Path.Combine(work.FullName, "publisher")))
            {
                await publisher.PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [fromRegistry] }).ConfigureAwait(false);
                await publisher.PushModelAsync(fromRegistry).ConfigureAwait(false);
            }

            // The peer: a real node whose store holds the model, serving it at /v2/.
            await using var peer = ModelRunnerServer.Build(new ServerOptions { Port = LoopbackPort.Free(), Home = Path.Combine(work.FullName, "peer"), OrleansDashboard = false });
            await peer.Services.GetRequiredService<IModelDistribution>().PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            var address = await ModelRunnerServer.StartAsync(peer).ConfigureAwait(false);
            var fromPeer = $"{address.Authority}/{Model}";

            var size = new FileInfo(path).Length;
            var registryRates = new List<double>();
            var peerRates = new List<double>();
            for (var run = 0; run < arguments.Runs; run++)
            {
                registryRates.Add(size / await TimePullAsync(fromRegistry, Path.Combine(work.FullName, "consumer")).ConfigureAwait(false));
                peerRates.Add(size / await TimePullAsync(fromPeer, Path.Combine(work.FullName, "consumer")).ConfigureAwait(false));
            }

            var ratio = Statistics.Median(peerRates) / Statistics.Median(registryRates);
            Console.WriteLine($"peer pull       registry {Statistics.Median(registryRates) / (1 << 20):F0} MiB/s   peer node {Statistics.Median(peerRates) / (1 << 20):F0} MiB/s   ({arguments.Runs} runs, {size / (1 << 20)} MiB)");
            Console.WriteLine($"pull ratio      peer / registry = {ratio:F3}   (target >= 0.9)");
            await peer.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> TimePullAsync(string reference, string store)
    {
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }

        using var consumer = Distribution(store);
        var clock = Stopwatch.StartNew();
        await consumer.PullModelAsync(reference).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task RemoteStreamAsync(string path, PostgresServer postgres, BenchArguments arguments)
    {
        var work = Directory.CreateTempSubdirectory("modelrunner-bench-cluster-stream-");
        try
        {
            var database = await postgres.CreateDatabaseAsync().ConfigureAwait(false);
            await using var host = Node(database, Path.Combine(work.FullName, "host"));
            await using var other = Node(database, Path.Combine(work.FullName, "other"));
            await host.Services.GetRequiredService<IModelDistribution>().PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            using var viaHost = new HttpClient { BaseAddress = await ModelRunnerServer.StartAsync(host).ConfigureAwait(false), Timeout = TimeSpan.FromMinutes(10) };
            using var viaOther = new HttpClient { BaseAddress = await ModelRunnerServer.StartAsync(other).ConfigureAwait(false), Timeout = TimeSpan.FromMinutes(10) };
            var id = host.Services.GetRequiredService<IModelDistribution>().Store.Get(Model).Id;
            await host.Services.GetRequiredService<ModelSettingsStore>().SetAsync(id, new ModelSettings(2048, ["--threads", $"{arguments.Threads}", "--parallel", "1"])).ConfigureAwait(false);

            // Loads the model on the host, then lets the other node fetch its files and find the grain.
            await HttpBenchmark.StreamAsync(viaHost, Story, 16, Model).ConfigureAwait(false);
            await HttpBenchmark.StreamAsync(viaOther, Story, 16, Model).ConfigureAwait(false);
            var local = new List<double>();
            var remote = new List<double>();
            for (var run = 0; run < arguments.Runs; run++)
            {
                local.Add((await HttpBenchmark.StreamAsync(viaHost, Story, arguments.Tokens, Model).ConfigureAwait(false)).Rate);
                remote.Add((await HttpBenchmark.StreamAsync(viaOther, Story, arguments.Tokens, Model).ConfigureAwait(false)).Rate);
            }

            Console.WriteLine($"one stream      via the hosting node {Statistics.Median(local):F2} tok/s   via another node {Statistics.Median(remote):F2} tok/s   ({arguments.Runs} runs x {arguments.Tokens} tokens)");
            Console.WriteLine($"stream ratio    other / hosting = {Statistics.Median(remote) / Statistics.Median(local):F3}   (target >= 0.97)");
            await other.StopAsync().ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Three `modelrunner serve --cluster` processes per run; the one hosting the model is killed.</summary>
    private static async Task FailoverAsync(PostgresServer postgres, BenchArguments arguments)
    {
        var cli = BuiltCli.Dll();

        var times = new List<double>();
        for (var run = 0; run < arguments.Runs; run++)
        {
            var database = await postgres.CreateDatabaseAsync().ConfigureAwait(false);
            var nodes = new List<(Process Process, Uri Address)>();
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    nodes.Add(StartProcess(cli, database, demo: i == 0));
                }

                foreach (var node in nodes)
                {
                    await WaitUpAsync(node.Address).ConfigureAwait(false);
                }

                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
                var configured = await http.PostAsJsonAsync(new Uri(nodes[0].Address, "/engines/_configure"), new JsonObject { ["model"] = "ai/tiny-random", ["context_size"] = 512 }).ConfigureAwait(false);
                configured.EnsureSuccessStatusCode();
                foreach (var node in nodes)
                {
                    (await ChatAsync(http, node.Address).ConfigureAwait(false)).EnsureSuccessStatusCode();
                }

                var clock = Stopwatch.StartNew();
                nodes[0].Process.Kill(entireProcessTree: true);
                while ((await ChatAsync(http, nodes[1].Address).ConfigureAwait(false)).StatusCode != System.Net.HttpStatusCode.OK)
                {
                }

                times.Add(clock.Elapsed.TotalSeconds);
            }
            finally
            {
                foreach (var (process, _) in nodes)
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    process.Dispose();
                }
            }
        }

        Console.WriteLine($"failover        kill -9 of the model's node to the next success on a survivor: median {Statistics.Median(times):F2} s, max {times.Max():F2} s over {times.Count} runs   (target <= 10 s)");
    }

    private static WebApplication Node(string database, string home) => ModelRunnerServer.Build(new ServerOptions
    {
        Port = LoopbackPort.Free(),
        Home = home,
        Cluster = database,
        SiloPort = LoopbackPort.Free(),
        Advertise = "127.0.0.1",
        OrleansDashboard = false,
    });

    private static (Process, Uri) StartProcess(string cli, string database, bool demo)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[cli, "serve", "--port", $"{port}", "--silo-port", $"{LoopbackPort.Free()}", "--advertise", "127.0.0.1", "--home", Directory.CreateTempSubdirectory("modelrunner-bench-node-").FullName, .. demo ? ["--demo"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MODEL_RUNNER_CLUSTER"] = database;
        start.Environment["MODEL_RUNNER_ORLEANS_DASHBOARD"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("serve did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, new Uri($"http://127.0.0.1:{port}/"));
    }

    private static async Task WaitUpAsync(Uri address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(new Uri(address, "/version")).ConfigureAwait(false)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"node {address} did not come up");
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http, Uri node) =>
        http.PostAsJsonAsync(new Uri(node, "/v1/chat/completions"), new JsonObject
        {
            ["model"] = "ai/tiny-random",
            ["max_tokens"] = 4,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
        });

    private static IModelDistribution Distribution(string store) => ModelDistribution.Create(new ModelDistributionOptions
    {
        StorePath = store,
        Credentials = RegistryCredentials.None,
    });
}
