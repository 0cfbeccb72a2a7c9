using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Registry;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.TestModels;
using ModelRunner.Testing;

namespace ModelRunner.Bench.Peer;

/// <summary>
/// ModelRunner against llama.cpp's own llama-server, side by side: each its own server process
/// (<c>modelrunner serve</c>, llama-server), the same GGUF, threads and context per sequence,
/// both driven by one <see cref="OpenAiStreamingClient"/>, runs alternating.
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

    private static readonly Process Bench = Process.GetCurrentProcess();

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
            using (var distribution = ModelDistribution.Create(new ModelDistributionOptions { StorePath = Path.Combine(home, "models"), Credentials = RegistryCredentials.None }))
            {
                await distribution.PackageAsync(new PackageRequest { GgufPaths = [path], Tags = [Model] }).ConfigureAwait(false);
            }

            // Ours runs as users run it, `modelrunner serve` in its own process, as llama-server
            // does; hosted in the bench's process it shared that process with the client and the
            // raw loops (and decoded at 0.66-0.79 of the raw loop beside it).
            await using var serve = await ServeProcess.StartAsync(BuiltCli.Dll(), home, new Dictionary<string, string>
            {
                ["MODEL_RUNNER_ORLEANS_DASHBOARD"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
            }).ConfigureAwait(false);
            using var ourHttp = new HttpClient { BaseAddress = new Uri(serve.Address, "engines/"), Timeout = TimeSpan.FromMinutes(10) };
            var ours = new OpenAiStreamingClient(ourHttp, Model);

            // ModelRunner picks its threads per step (at most every core) unless told a number:
            // tell it one only when the run asks for fewer threads than the machine has.
            var fixedThreads = arguments.Threads != Environment.ProcessorCount;
            Console.WriteLine($"model           smollm2-360m Q4_K_M; llama-server {binary}");
            Console.WriteLine("weights         repacked by both (llama-server's default; ModelRunner --repack)");
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
                    await ConfigureAsync(ourHttp, StreamContext, Flags(arguments, fixedThreads, Streams)).ConfigureAwait(false);
                    await using var server = await LlamaServerProcess.StartAsync(binary, path, arguments.Threads, Streams, StreamContext).ConfigureAwait(false);
                    using var theirHttp = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
                    await StreamsAsync(ours, new OpenAiStreamingClient(theirHttp, Model), Settle(serve, server), path, arguments, figures).ConfigureAwait(false);
                }

                if (only is null or "conversation")
                {
                    await ConfigureAsync(ourHttp, ConversationContext, Flags(arguments, fixedThreads, ConversationSequences)).ConfigureAwait(false);
                    await using var server = await LlamaServerProcess.StartAsync(binary, path, arguments.Threads, ConversationSequences, ConversationContext).ConfigureAwait(false);
                    using var theirHttp = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
                    await ConversationsAsync(ours, new OpenAiStreamingClient(theirHttp, Model), Settle(serve, server), figures).ConfigureAwait(false);
                }

                results[name] = figures;
                figures.Print(name);
            }

            if (results.TryGetValue("quiet", out var quiet) && results.TryGetValue("busy", out var busy))
            {
                PeerFigures.PrintDegradation(quiet, busy);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Waits until both servers and this process (its raw loops) have stopped computing, before the next measurement.</summary>
    private static Func<Task> Settle(ServeProcess ours, LlamaServerProcess theirs) =>
        () => Task.WhenAll(ProcessSettling.WaitAsync(ours.Process), ProcessSettling.WaitAsync(theirs.Process), ProcessSettling.WaitAsync(Bench));

    /// <summary>Stored, then applied: an idle loaded model reloads with it at its next request.</summary>
    private static async Task ConfigureAsync(HttpClient http, int contextSize, string[] flags)
    {
        using var response = await http.PostAsJsonAsync("_configure", new JsonObject
        {
            ["model"] = Model,
            ["context_size"] = contextSize,
            ["runtime_flags"] = new JsonArray([.. flags.Select(flag => (JsonNode)flag)]),
        }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    // Ours repacks weights as llama-server does by default: both then multiply with the same
    // kernels. MODELRUNNER_BENCH_FLAGS adds runtime flags to ours, e.g. "--threads 2".
    private static string[] Flags(BenchArguments arguments, bool fixedThreads, int sequences) =>
    [
        .. fixedThreads ? ["--threads", $"{arguments.Threads}"] : Array.Empty<string>(),
        "--parallel", $"{sequences}", "--repack",
        .. (Environment.GetEnvironmentVariable("MODELRUNNER_BENCH_FLAGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
    ];

    /// <summary>
    /// Single-stream and 8-stream decode of both servers, runs alternating; beside them the same
    /// loops on llama.cpp alone (<see cref="RawDecodeLoop"/>, <see cref="RawBatchLoop"/>: our
    /// bindings, no server), the ceiling of what any server on these kernels reaches.
    /// </summary>
    private static async Task StreamsAsync(OpenAiStreamingClient ours, OpenAiStreamingClient theirs, Func<Task> settle, string path, BenchArguments arguments, PeerFigures figures)
    {
        var story = "The history of the city begins";
        var stories = Enumerable.Range(0, Streams).Select(i => $"Story number {i}: once upon a time, in a land far away,").ToArray();
        // llama-server repacks weights by default; the raw loops do as ours is told to (Flags).
        using var weights = LlamaModel.Load(path, new ModelLoadOptions { RepackWeights = true });
        using var raw = new RawDecodeLoop(weights, StreamContext, 512, arguments.Threads);
        var storyTokens = weights.Tokenize(story, addSpecial: true);
        var storiesTokens = stories.Select(text => weights.Tokenize(text, addSpecial: true)).ToArray();
        async Task<double> AggregateAsync(OpenAiStreamingClient client, int tokens)
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(stories.Select(text => Task.Run(() => client.ChatAsync([("user", text)], tokens)))).ConfigureAwait(false);
            return answers.Sum(answer => answer.Tokens) / clock.Elapsed.TotalSeconds;
        }

        // Warm-up as long as a run: loads our model and both servers' compute buffers, and lets
        // our server's hot paths reach their optimised code (after an 8-token warm-up, the first
        // run read 0.73-0.77 of llama-server in three invocations where the others read 0.83-0.97).
        foreach (var client in new[] { ours, theirs })
        {
            await client.ChatAsync([("user", story)], arguments.Tokens).ConfigureAwait(false);
            await AggregateAsync(client, arguments.Tokens).ConfigureAwait(false);
        }

        raw.Run(storyTokens, 8);
        RawBatchLoop.Run(weights, storiesTokens, 8, StreamContext, arguments.Threads);

        await settle().ConfigureAwait(false);

        // Who goes first alternates, and every measurement starts on a settled machine: what one
        // leaves behind (a raw loop's freed context, a server's polling pool) must not fall on
        // the same side every run. Measured first each run, behind the raw loops, ours read 0.82
        // of llama-server where a client alternating by hand read 0.93-0.96.
        async Task<(T Ours, T Theirs)> PairAsync<T>(Func<OpenAiStreamingClient, Task<T>> measure, bool oursFirst)
        {
            var first = await measure(oursFirst ? ours : theirs).ConfigureAwait(false);
            await settle().ConfigureAwait(false);
            var second = await measure(oursFirst ? theirs : ours).ConfigureAwait(false);
            await settle().ConfigureAwait(false);
            return oursFirst ? (first, second) : (second, first);
        }

        for (var run = 0; run < arguments.Runs; run++)
        {
            var oursFirst = run % 2 == 0;
            var (our, their) = await PairAsync(client => client.ChatAsync([("user", story)], arguments.Tokens), oursFirst).ConfigureAwait(false);
            figures.OurSingle.Add(our.DecodeRate);
            figures.TheirSingle.Add(their.DecodeRate);
            Console.WriteLine($"run {run + 1}          single stream: client saw ours {our.DecodeRate:F2}, theirs {their.DecodeRate:F2} tok/s; servers' own timings ours {our.ServerDecodeRate:F2}, theirs {their.ServerDecodeRate:F2}");
            figures.RawSingle.Add(raw.Run(storyTokens, arguments.Tokens).DecodeTokensPerSecond);
            await settle().ConfigureAwait(false);
            var (ourStreams, theirStreams) = await PairAsync(client => AggregateAsync(client, arguments.Tokens), oursFirst).ConfigureAwait(false);
            figures.OurStreams.Add(ourStreams);
            figures.TheirStreams.Add(theirStreams);
            figures.RawStreams.Add(RawBatchLoop.Run(weights, storiesTokens, arguments.Tokens, StreamContext, arguments.Threads).WholeTokensPerSecond);
            await settle().ConfigureAwait(false);
        }
    }

    /// <summary>8 conversations take turns round robin on 2 sequences; each turn's TTFT is recorded per turn.</summary>
    private static async Task ConversationsAsync(OpenAiStreamingClient ours, OpenAiStreamingClient theirs, Func<Task> settle, PeerFigures figures)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var histories = Enumerable.Range(0, Conversations).Select(_ => new List<(string Role, string Content)> { ("system", System) }).ToArray();
        await ours.ChatAsync([("user", "warm up")], 4).ConfigureAwait(false);
        await theirs.ChatAsync([("user", "warm up")], 4).ConfigureAwait(false);
        await settle().ConfigureAwait(false);
        for (var turn = 1; turn <= Turns; turn++)
        {
            for (var conversation = 0; conversation < Conversations; conversation++)
            {
                var message = $"Conversation {conversation}, turn {turn}: tell me about the river, the bridge number {turn * 7 + conversation}, the old mill and the people who lived by it, in a few words.";
                // Ours keeps the history on the server: the turn sends its new messages only.
                var ourMessages = turn == 1 ? new[] { ("system", System), ("user", message) } : [("user", message)];
                var ourAnswer = await ours.ChatAsync(ourMessages, AnswerTokens, $"bench-{run}-{conversation}").ConfigureAwait(false);
                await settle().ConfigureAwait(false);
                histories[conversation].Add(("user", message));
                var theirAnswer = await theirs.ChatAsync(histories[conversation], AnswerTokens).ConfigureAwait(false);
                await settle().ConfigureAwait(false);
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
