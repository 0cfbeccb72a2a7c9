using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Hosting;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;
using ModelRunner.Grains.Models;

namespace ModelRunner.Bench.Peer;

/// <summary>
/// ModelRunner against llama.cpp's own llama-server, side by side: the same GGUF, threads and
/// context per sequence, both driven by one <see cref="OpenAiStreamingClient"/>, runs alternating.
/// Single-stream decode, 8 concurrent streams (aggregate), and the time to first token of a
/// conversation's 12th turn over its 1st with 8 conversations sharing 2 sequences (ours keeps them
/// with <c>X-Conversation-Id</c>; llama-server with its prompt cache). Then the same again with a
/// busy loop taking one core, to compare how much each slows down.
/// </summary>
internal static class PeerBenchmark
{
    private const string Model = "bench/smollm2:360m";
    private const int Streams = 8;
    private const int StreamContext = 2048;
    private const int ConversationSequences = 2;
    private const int ConversationContext = 4096;
    private const int Conversations = 8;
    private const int Turns = 12;
    private const int AnswerTokens = 16;
    private const string System = "You are a helpful assistant who answers briefly and precisely.";

    public static async Task RunAsync(BenchArguments arguments)
    {
        var path = BenchModels.Get(arguments.ModelFolder, TestModelShape.SmolLM2_360M, LlamaFileType.Q4_K_M);
        var work = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_WORK") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "modelrunner-bench-work");
        var binary = await LlamaServerProcess.FindOrBuildAsync(work).ConfigureAwait(false);
        var home = Directory.CreateTempSubdirectory("modelrunner-bench-peer-").FullName;
        try
        {
            await using var app = ModelRunnerServer.Build(new ServerOptions { Port = 0, Home = home, OrleansDashboard = false });
            var address = await ModelRunnerServer.StartAsync(app).ConfigureAwait(false);
            var model = await app.Services.GetRequiredService<IModelDistribution>()
                .PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            var settings = app.Services.GetRequiredService<ModelSettingsStore>();
            using var ourHttp = new HttpClient { BaseAddress = new Uri(address, "engines/"), Timeout = TimeSpan.FromMinutes(10) };
            var ours = new OpenAiStreamingClient(ourHttp, Model);

            // ModelRunner picks its threads per step (at most every core) unless told a number:
            // tell it one only when the run asks for fewer threads than the machine has.
            var fixedThreads = arguments.Threads != Environment.ProcessorCount;
            Console.WriteLine($"model           smollm2-360m Q4_K_M; llama-server {binary}");
            Console.WriteLine($"threads         llama-server -t {arguments.Threads}; ModelRunner {(fixedThreads ? $"--threads {arguments.Threads}" : $"chosen per step, at most {Environment.ProcessorCount}")}; {arguments.Runs} runs, medians");

            // MODELRUNNER_BENCH_ONLY=streams|conversation runs one part; MODELRUNNER_BENCH_NEIGHBOUR=quiet|busy one condition.
            var only = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_ONLY");
            var conditions = Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_NEIGHBOUR") is { Length: > 0 } condition ? [condition] : new[] { "quiet", "busy" };
            var results = new Dictionary<string, PeerFigures>();
            foreach (var name in conditions)
            {
                await using var neighbour = name == "busy" ? new BusyNeighbour() : null;
                var figures = new PeerFigures();
                if (only is null or "streams")
                {
                    await settings.SetAsync(model.Id, new ModelSettings(StreamContext, Flags(arguments, fixedThreads, Streams))).ConfigureAwait(false);
                    await using var server = await LlamaServerProcess.StartAsync(binary, path, arguments.Threads, Streams, StreamContext).ConfigureAwait(false);
                    using var theirHttp = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
                    await StreamsAsync(ours, new OpenAiStreamingClient(theirHttp, Model), server, arguments, figures).ConfigureAwait(false);
                }

                if (only is null or "conversation")
                {
                    await settings.SetAsync(model.Id, new ModelSettings(ConversationContext, Flags(arguments, fixedThreads, ConversationSequences))).ConfigureAwait(false);
                    await using var server = await LlamaServerProcess.StartAsync(binary, path, arguments.Threads, ConversationSequences, ConversationContext).ConfigureAwait(false);
                    using var theirHttp = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
                    await ConversationsAsync(ours, new OpenAiStreamingClient(theirHttp, Model), server, figures).ConfigureAwait(false);
                }

                results[name] = figures;
                figures.Print(name);
            }

            if (results.TryGetValue("quiet", out var quiet) && results.TryGetValue("busy", out var busy))
            {
                PeerFigures.PrintDegradation(quiet, busy);
            }

            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string[] Flags(BenchArguments arguments, bool fixedThreads, int sequences) =>
        fixedThreads ? ["--threads", $"{arguments.Threads}", "--parallel", $"{sequences}"] : ["--parallel", $"{sequences}"];

    private static async Task StreamsAsync(OpenAiStreamingClient ours, OpenAiStreamingClient theirs, LlamaServerProcess server, BenchArguments arguments, PeerFigures figures)
    {
        var story = "The history of the city begins";
        var stories = Enumerable.Range(0, Streams).Select(i => $"Story number {i}: once upon a time, in a land far away,").ToArray();
        async Task<double> AggregateAsync(OpenAiStreamingClient client, int tokens)
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(stories.Select(text => Task.Run(() => client.ChatAsync([("user", text)], tokens)))).ConfigureAwait(false);
            return answers.Sum(answer => answer.Tokens) / clock.Elapsed.TotalSeconds;
        }

        // Warm-up: loads our model, JIT, both servers' compute buffers.
        foreach (var client in new[] { ours, theirs })
        {
            await client.ChatAsync([("user", story)], 8).ConfigureAwait(false);
            await AggregateAsync(client, 8).ConfigureAwait(false);
        }

        await server.SettleAsync().ConfigureAwait(false);

        for (var run = 0; run < arguments.Runs; run++)
        {
            figures.OurSingle.Add((await ours.ChatAsync([("user", story)], arguments.Tokens).ConfigureAwait(false)).DecodeRate);
            figures.TheirSingle.Add((await theirs.ChatAsync([("user", story)], arguments.Tokens).ConfigureAwait(false)).DecodeRate);
            await server.SettleAsync().ConfigureAwait(false);
            figures.OurStreams.Add(await AggregateAsync(ours, arguments.Tokens).ConfigureAwait(false));
            figures.TheirStreams.Add(await AggregateAsync(theirs, arguments.Tokens).ConfigureAwait(false));
            await server.SettleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>8 conversations take turns round robin on 2 sequences; each turn's TTFT is recorded per turn.</summary>
    private static async Task ConversationsAsync(OpenAiStreamingClient ours, OpenAiStreamingClient theirs, LlamaServerProcess server, PeerFigures figures)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var histories = Enumerable.Range(0, Conversations).Select(_ => new List<(string Role, string Content)> { ("system", System) }).ToArray();
        await ours.ChatAsync([("user", "warm up")], 4).ConfigureAwait(false);
        await theirs.ChatAsync([("user", "warm up")], 4).ConfigureAwait(false);
        await server.SettleAsync().ConfigureAwait(false);
        for (var turn = 1; turn <= Turns; turn++)
        {
            for (var conversation = 0; conversation < Conversations; conversation++)
            {
                var message = $"Conversation {conversation}, turn {turn}: tell me about the river, the bridge number {turn * 7 + conversation}, the old mill and the people who lived by it, in a few words.";
                // Ours keeps the history on the server: the turn sends its new messages only.
                var ourMessages = turn == 1 ? new[] { ("system", System), ("user", message) } : [("user", message)];
                var ourAnswer = await ours.ChatAsync(ourMessages, AnswerTokens, $"bench-{run}-{conversation}").ConfigureAwait(false);
                histories[conversation].Add(("user", message));
                var theirAnswer = await theirs.ChatAsync(histories[conversation], AnswerTokens).ConfigureAwait(false);
                await server.SettleAsync().ConfigureAwait(false);
                histories[conversation].Add(("assistant", theirAnswer.Text));
                if (turn is 1 or Turns)
                {
                    (turn == 1 ? figures.OurFirstTurn : figures.OurLastTurn).Add(ourAnswer.TimeToFirstToken.TotalMilliseconds);
                    (turn == 1 ? figures.TheirFirstTurn : figures.TheirLastTurn).Add(theirAnswer.TimeToFirstToken.TotalMilliseconds);
                }
            }
        }
    }
}
