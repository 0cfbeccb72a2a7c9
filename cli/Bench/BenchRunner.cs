using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Bench;

/// <summary>
/// Runs the sweep: at each concurrency, that many clients send streamed chat completions back to back for the
/// duration; requests in flight when it ends are waited for and counted. Time to first token is from sending a
/// request to its first chunk with text; tokens are the server's own <c>usage.completion_tokens</c>.
/// </summary>
internal sealed class BenchRunner(ServerClient client, string model, string prompt, int? maxTokens, TimeSpan requestTimeout)
{
    /// <summary>One request, to load the model before anything is timed (a load is not a first token).</summary>
    /// <exception cref="ServerException">The server refused it: an unknown model, say.</exception>
    public async Task WarmUpAsync(CancellationToken cancellationToken) =>
        _ = await SendAsync(1, cancellationToken).ConfigureAwait(false);

    public async Task<BenchLevel> RunAsync(int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var gate = new Lock();
        int requests = 0, errors = 0;
        long tokens = 0;
        var firstTokens = new List<TimeSpan>();

        async Task ClientAsync()
        {
            while (clock.Elapsed < duration)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(requestTimeout);
                try
                {
                    var (firstToken, completionTokens) = await SendAsync(maxTokens, timeout.Token).ConfigureAwait(false);
                    lock (gate)
                    {
                        requests++;
                        tokens += completionTokens;
                        firstTokens.Add(firstToken);
                    }
                }
                catch (Exception e) when (e is ServerException or HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    lock (gate)
                    {
                        errors++;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(ClientAsync, cancellationToken))).ConfigureAwait(false);
        return new BenchLevel(concurrency, requests, errors, tokens, clock.Elapsed, firstTokens);
    }

    private async Task<(TimeSpan FirstToken, long CompletionTokens)> SendAsync(int? tokens, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["max_tokens"] = tokens,
        };
        var sent = Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        long? usage = null;
        long chunks = 0;
        await foreach (var line in client.StreamLinesAsync(HttpMethod.Post, "engines/v1/chat/completions", body, cancellationToken).ConfigureAwait(false))
        {
            if (line == "[DONE]")
            {
                break;
            }

            var chunk = JsonNode.Parse(line);
            if (chunk?["error"] is { } error)
            {
                throw new ServerException(error["message"]?.GetValue<string>() ?? error.ToJsonString());
            }

            // The usage chunk comes with an empty choices array.
            if (chunk?["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["delta"]?["content"]?.GetValue<string>() is { Length: > 0 })
            {
                firstToken ??= sent.Elapsed;
                chunks++;
            }

            if (chunk?["usage"]?["completion_tokens"] is JsonValue completion)
            {
                usage = completion.GetValue<long>();
            }
        }

        return (firstToken ?? sent.Elapsed, usage ?? chunks);
    }
}
