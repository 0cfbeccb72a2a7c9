using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelRunner.Bench.Peer;

/// <summary>
/// One streaming chat-completions client (OpenAI's wire format: SSE <c>data:</c> lines, usage in
/// the last chunk) that drives both servers, so neither is measured through a different client.
/// Greedy (temperature 0). Thread-safe.
/// </summary>
internal sealed class OpenAiStreamingClient(HttpClient http, string model)
{
    /// <param name="messages">The chat so far, roles and contents.</param>
    /// <param name="conversationId">Sent as <c>X-Conversation-Id</c> when set (the history is then the server's).</param>
    public async Task<StreamedCompletion> ChatAsync(IEnumerable<(string Role, string Content)> messages, int maxTokens, string? conversationId = null)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray([.. messages.Select(message => (JsonNode)new JsonObject { ["role"] = message.Role, ["content"] = message.Content })]),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(body) };
        if (conversationId is not null)
        {
            request.Headers.Add("X-Conversation-Id", conversationId);
        }

        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {http.BaseAddress}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        var text = new StringBuilder();
        long first = 0, last = 0;
        int chunks = 0, usageTokens = 0;
        double serverRate = 0;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                break;
            }

            var chunk = JsonNode.Parse(data);
            // The usage chunk carries an empty choices array.
            if (chunk?["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["delta"]?["content"]?.GetValue<string>() is { Length: > 0 } content)
            {
                last = Stopwatch.GetTimestamp();
                first = first == 0 ? last : first;
                chunks++;
                text.Append(content);
            }

            usageTokens = chunk?["usage"]?["completion_tokens"]?.GetValue<int>() ?? usageTokens;
            serverRate = chunk?["timings"]?["predicted_per_second"]?.GetValue<double>() ?? serverRate;
        }

        return new StreamedCompletion(
            text.ToString(),
            usageTokens > 0 ? usageTokens : chunks,
            first == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(sent, first),
            first == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, last),
            serverRate);
    }
}
