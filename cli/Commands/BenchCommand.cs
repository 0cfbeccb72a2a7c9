using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Bench;
using ModelRunner.Cli.Client;
using ModelRunner.Grains.Models;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner bench MODEL [--concurrency 1,2,4,8] [--duration 30s] [--prompt P] [--max-tokens N] [--timeout 5m] [--json]</c>:
/// a concurrency sweep against the running server, with requests/s, tokens/s and time-to-first-token p50/p99 per
/// level, as a table or JSON. Progress goes to stderr.
/// </summary>
internal static class BenchCommand
{
    public const string DefaultPrompt = "Write a comprehensive 100 word summary on whales and their impact on society.";

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The model to benchmark" };
        var concurrency = new Option<string>("--concurrency") { Description = "Concurrency levels, comma-separated", DefaultValueFactory = _ => "1,2,4,8" };
        var duration = new Option<string>("--duration") { Description = "How long each level runs, e.g. 30s or 1m", DefaultValueFactory = _ => "30s" };
        var prompt = new Option<string>("--prompt") { Description = "The prompt every request sends", DefaultValueFactory = _ => DefaultPrompt };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per answer (bounds a model that never stops)", DefaultValueFactory = _ => 512 };
        var timeout = new Option<string>("--timeout") { Description = "Longest one request may take", DefaultValueFactory = _ => "5m" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var command = new Command("bench", "Benchmark a model's throughput and latency at several concurrency levels")
        {
            model, concurrency, duration, prompt, maxTokens, timeout, json,
        };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var levels = Levels(parse.GetValue(concurrency)!);
            var each = Duration(parse.GetValue(duration)!, "--duration");
            var requestTimeout = Duration(parse.GetValue(timeout)!, "--timeout");
            var tokens = parse.GetValue(maxTokens);
            if (tokens <= 0)
            {
                throw new ArgumentException($"--max-tokens must be positive, not {tokens}");
            }

            var name = parse.GetValue(model)!;
            using var client = new ServerClient();
            var runner = new BenchRunner(client, name, parse.GetValue(prompt)!, tokens, requestTimeout);
            await Console.Error.WriteLineAsync($"Loading {name}...").ConfigureAwait(false);
            await runner.WarmUpAsync(cancellationToken).ConfigureAwait(false);

            var results = new List<BenchLevel>();
            foreach (var level in levels)
            {
                await Console.Error.WriteLineAsync($"Concurrency {level} for {KeepAlive.Format(each)}...").ConfigureAwait(false);
                results.Add(await runner.RunAsync(level, each, cancellationToken).ConfigureAwait(false));
            }

            if (parse.GetValue(json))
            {
                var document = new JsonObject
                {
                    ["model"] = name,
                    ["prompt"] = parse.GetValue(prompt),
                    ["max_tokens"] = tokens,
                    ["duration_seconds"] = each.TotalSeconds,
                    ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
                    {
                        ["concurrency"] = r.Concurrency,
                        ["requests"] = r.Requests,
                        ["errors"] = r.Errors,
                        ["completion_tokens"] = r.CompletionTokens,
                        ["elapsed_seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
                        ["requests_per_second"] = Math.Round(r.RequestsPerSecond, 3),
                        ["tokens_per_second"] = Math.Round(r.TokensPerSecond, 2),
                        ["ttft_p50_ms"] = r.FirstTokenP50 is { } p50 ? Math.Round(p50.TotalMilliseconds, 1) : null,
                        ["ttft_p99_ms"] = r.FirstTokenP99 is { } p99 ? Math.Round(p99.TotalMilliseconds, 1) : null,
                    })]),
                };
                Console.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return;
            }

            TextTable.Write(Console.Out, ["CONCURRENCY", "REQUESTS", "ERRORS", "REQ/S", "TOKENS/S", "TTFT P50", "TTFT P99"], results.Select(r => (IReadOnlyList<string>)
            [
                r.Concurrency.ToString(CultureInfo.InvariantCulture),
                r.Requests.ToString(CultureInfo.InvariantCulture),
                r.Errors.ToString(CultureInfo.InvariantCulture),
                r.RequestsPerSecond.ToString("0.00", CultureInfo.InvariantCulture),
                r.TokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                Milliseconds(r.FirstTokenP50),
                Milliseconds(r.FirstTokenP99),
            ]));
        });
        return command;
    }

    private static List<int> Levels(string text)
    {
        var levels = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            levels.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) && level is > 0 and <= 1024
                ? level
                : throw new ArgumentException($"--concurrency '{text}': each level must be a whole number from 1 to 1024, e.g. 1,2,4,8"));
        }

        return levels.Count > 0 ? levels : throw new ArgumentException("--concurrency needs at least one level, e.g. 1,2,4,8");
    }

    private static TimeSpan Duration(string text, string option)
    {
        try
        {
            var value = KeepAlive.Parse(text);
            return value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan ? value : throw new ArgumentException("not positive");
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{option} '{text}' is not a positive duration such as 30s, 1m or 1m30s");
        }
    }

    private static string Milliseconds(TimeSpan? value) => value is { } time ? $"{time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : "-";
}
