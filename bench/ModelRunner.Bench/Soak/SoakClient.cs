using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelRunner.Bench.Soak;

/// <summary>
/// One of the soak's clients: until the deadline, picks a request from a fixed-seed mix (chat
/// streaming and not, embeddings, a conversation turn, a stream it abandons after two chunks)
/// and a chat model: the model of the current phase (phases of <paramref name="switchEvery"/>
/// rotate through <paramref name="chatModels"/>; the budget holds two of them and conversations keep
/// the first loaded, so switches evict), or one time in ten the next phase's.
/// </summary>
internal sealed class SoakClient(HttpClient http, int number, IReadOnlyList<string> chatModels, string embeddingModel, TimeSpan switchEvery, Stopwatch clock)
{
    private readonly Random _random = new(number);
    private string _conversation = NewConversation(number);
    private int _turns;

    public async Task<List<SoakSample>> RunAsync(TimeSpan duration)
    {
        var samples = new List<SoakSample>();
        while (clock.Elapsed < duration)
        {
            var at = clock.Elapsed;
            var roll = _random.Next(100);
            var (kind, run) = roll switch
            {
                < 30 => ("chat-stream", (Func<Task<Ended>>)(() => StreamAsync(PickModel(), abandon: false))),
                < 50 => ("chat", () => ChatAsync(PickModel())),
                < 65 => ("embeddings", EmbedAsync),
                < 90 => ("conversation", TurnAsync),
                _ => ("disconnect", () => StreamAsync(PickModel(), abandon: true)),
            };
            try
            {
                var ended = await run().ConfigureAwait(false);
                samples.Add(new SoakSample(kind, at, ended.Outcome, ended.FirstTokenMs, ended.Error));
                if (ended.Outcome is SoakOutcome.Busy or SoakOutcome.Refused)
                {
                    // As a client honouring Retry-After would.
                    await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
            {
                samples.Add(new SoakSample(kind, at, SoakOutcome.Error, null, exception.Message));
            }
        }

        return samples;
    }

    private string PickModel()
    {
        var phase = (int)(clock.Elapsed / switchEvery) + (_random.Next(10) == 0 ? 1 : 0);
        return chatModels[phase % chatModels.Count];
    }

    private async Task<Ended> ChatAsync(string model)
    {
        using var response = await PostAsync("/engines/v1/chat/completions", Chat(model, stream: false)).ConfigureAwait(false);
        return await EndedAsync(response).ConfigureAwait(false);
    }

    private async Task<Ended> EmbedAsync()
    {
        var body = new JsonObject { ["model"] = embeddingModel, ["input"] = new JsonArray($"document {_random.Next(1000)} about the sea", "a second, shorter one") };
        using var response = await PostAsync("/engines/v1/embeddings", body).ConfigureAwait(false);
        return await EndedAsync(response).ConfigureAwait(false);
    }

    /// <summary>A turn of this client's server-side conversation; after eight turns it starts a new one.</summary>
    private async Task<Ended> TurnAsync()
    {
        if (++_turns > 8)
        {
            (_conversation, _turns) = (NewConversation(number), 1);
        }

        // A conversation stays on one model; the first is therefore always loaded.
        var body = Chat(chatModels[0], stream: true);
        return await StreamAsync(body, abandon: false, _conversation).ConfigureAwait(false);
    }

    private Task<Ended> StreamAsync(string model, bool abandon) => StreamAsync(Chat(model, stream: true), abandon, conversation: null);

    private async Task<Ended> StreamAsync(JsonObject body, bool abandon, string? conversation)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (conversation is not null)
        {
            request.Headers.Add("X-Conversation-Id", conversation);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await EndedAsync(response).ConfigureAwait(false);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        double? firstToken = null;
        var chunks = 0;
        var done = false;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line == "data: [DONE]")
            {
                done = true;
                break;
            }

            // An error event has an "error" object at its top; a model may well write the word "error".
            if (JsonNode.Parse(line["data: ".Length..]) is JsonObject { } chunk && chunk.ContainsKey("error"))
            {
                return new Ended(SoakOutcome.Error, firstToken, line);
            }

            firstToken ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (abandon && ++chunks == 2)
            {
                // Disposing the response resets the stream: the server sees the client go away.
                return new Ended(SoakOutcome.Disconnected, firstToken);
            }
        }

        return done ? new Ended(SoakOutcome.Ok, firstToken) : new Ended(SoakOutcome.Error, firstToken, "the stream ended without [DONE]");
    }

    private JsonObject Chat(string model, bool stream) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Tell me about place number {_random.Next(1000)} and its history." }),
        ["max_tokens"] = 16 + _random.Next(48),
        ["stream"] = stream,
    };

    private async Task<HttpResponseMessage> PostAsync(string path, JsonObject body) =>
        await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")).ConfigureAwait(false);

    private static async Task<Ended> EndedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.StatusCode switch
        {
            >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices => new Ended(SoakOutcome.Ok),
            HttpStatusCode.ServiceUnavailable => new Ended(SoakOutcome.Busy),
            HttpStatusCode.InsufficientStorage => new Ended(SoakOutcome.Refused, null, body[..Math.Min(body.Length, 200)]),
            _ => new Ended(SoakOutcome.Error, null, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}"),
        };
    }

    private sealed record Ended(SoakOutcome Outcome, double? FirstTokenMs = null, string? Error = null);

    private static string NewConversation(int client) => $"soak-{client}-{Guid.NewGuid():N}";
}
