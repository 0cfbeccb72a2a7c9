using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ModelRunner.Api.Tests.Errors;

/// <summary>
/// A stream that fails after it started (here: the model unloaded under it) ends with an error
/// the family's clients read from a stream, never with a silent end that looks like a cut
/// connection, and the server goes on serving.
/// </summary>
public sealed class StreamErrorTests
{
    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"ai/tiny-random","messages":[{"role":"user","content":"Write forever"}],"max_tokens":100000,"stream":true}""")]
    [InlineData("/v1/responses", """{"model":"ai/tiny-random","input":"Write forever","max_output_tokens":100000,"stream":true}""")]
    [InlineData("/v1/messages", """{"model":"ai/tiny-random","messages":[{"role":"user","content":"Write forever"}],"max_tokens":100000,"stream":true}""")]
    [InlineData("/api/chat", """{"model":"ai/tiny-random","messages":[{"role":"user","content":"Write forever"}],"options":{"num_predict":100000}}""")]
    public async Task ModelUnloadedMidStream_StreamEndsWithTheFamilysErrorEvent(string path, string body)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // Generating: a first piece of text has arrived.
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Contains("\"content\":\"", StringComparison.Ordinal) || line.Contains("text_delta", StringComparison.Ordinal) || line.Contains("output_text.delta", StringComparison.Ordinal))
            {
                break;
            }
        }

        using (var unload = await server.Http.PostAsJsonAsync("/engines/unload", new { all = true }))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }

        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        var events = lines.Where(line => line.Length > 0 && !line.StartsWith("event: ", StringComparison.Ordinal)).Select(line => line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : line).ToList();
        Assert.DoesNotContain("[DONE]", events);
        using var last = JsonDocument.Parse(events[^1]);
        var error = last.RootElement.GetProperty(path == "/v1/responses" ? "message" : "error");
        var message = path switch
        {
            "/api/chat" => error.GetString(),
            "/v1/responses" => error.GetString(),
            _ => error.GetProperty("message").GetString(),
        };
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (path is "/v1/messages" or "/v1/responses")
        {
            Assert.Equal("event: error", lines.Last(line => line.StartsWith("event: ", StringComparison.Ordinal)));
        }

        // Nothing was lost: the next request loads the model again and is answered.
        using var next = await server.Http.PostAsJsonAsync("/v1/chat/completions", new { model = TestServer.Model, messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
