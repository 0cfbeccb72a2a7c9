using System.Text.Json;

namespace ModelRunner.Api.Tests.Reference;

/// <summary>
/// Every curl example of Docker's Model Runner documentation (the REST API reference and the
/// model-runner page), run as written against a real server.
/// </summary>
public sealed class ReferenceCurlExamplesTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private const string ChatBody = """
        -H "Content-Type: application/json" \
            -d '{
                "model": "ai/smollm2",
                "messages": [
                    {
                        "role": "system",
                        "content": "You are a helpful assistant."
                    },
                    {
                        "role": "user",
                        "content": "Please write 500 words about the fall of Rome."
                    }
                ]
            }'
        """;

    [Theory]
    [InlineData("curl http://model-runner.docker.internal/engines/llama.cpp/v1/chat/completions \\")]
    [InlineData("curl --unix-socket $HOME/.docker/run/docker.sock \\\n    localhost/exp/vDD4.40/engines/llama.cpp/v1/chat/completions \\")]
    [InlineData("\tcurl http://localhost:12434/engines/llama.cpp/v1/chat/completions \\")]
    [InlineData("curl http://model-runner.docker.internal/engines/v1/chat/completions \\")]
    [InlineData("curl http://localhost:12434/engines/v1/chat/completions \\")]
    [InlineData("curl --unix-socket $HOME/.docker/run/docker.sock \\\n    localhost/exp/vDD4.40/engines/v1/chat/completions \\")]
    public async Task ChatCompletion_FromAContainer_TheHostOrTheSocket_Answers(string call)
    {
        var output = await CurlExample.RunAsync($"#!/bin/sh\n\n{call}\n    {ChatBody}\n", fixture);

        using var answer = JsonDocument.Parse(output);
        var choice = answer.RootElement.GetProperty("choices")[0];
        Assert.Equal("chat.completion", answer.RootElement.GetProperty("object").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.NotEmpty(choice.GetProperty("message").GetProperty("content").GetString()!);
        Assert.True(answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task ChatCompletion_Streaming_SendsChunksThenDone()
    {
        var output = await CurlExample.RunAsync("""
            curl http://localhost:12434/engines/v1/chat/completions \
              -H "Content-Type: application/json" \
              -d '{
                  "model": "ai/smollm2",
                  "stream": true,
                  "messages": [
                      {"role": "user", "content": "Count from 1 to 10"}
                  ]
              }'
            """, fixture);

        var events = DataLines(output);
        Assert.Equal("[DONE]", events[^1]);
        Assert.True(events.Count > 2);
        foreach (var chunk in events[..^1])
        {
            using var json = JsonDocument.Parse(chunk);
            Assert.Equal("chat.completion.chunk", json.RootElement.GetProperty("object").GetString());
        }
    }

    [Fact]
    public async Task ChatCompletion_TheCiWorkflowsGreedyRequest_Answers()
    {
        var output = await CurlExample.RunAsync("""
            MODEL="ai/smollm2"
            RESPONSE=$(curl -s http://localhost:12434/engines/llama.cpp/v1/chat/completions \
              -H "Content-Type: application/json" \
              -d "{
                  \"model\": \"$MODEL\",
                  \"messages\": [
                      {
                          \"role\": \"user\",
                          \"content\": \"Say hello\"
                      }
                  ],
                  \"top_k\": 1,
                  \"temperature\": 0
              }")
            printf '%s\n' "$RESPONSE"
            """, fixture);

        using var answer = JsonDocument.Parse(output);
        Assert.NotEmpty(answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
    }

    [Fact]
    public async Task Models_ListsTheModel()
    {
        var output = await CurlExample.RunAsync("curl http://localhost:12434/engines/v1/models", fixture);

        using var list = JsonDocument.Parse(output);
        Assert.Equal("list", list.RootElement.GetProperty("object").GetString());
        Assert.Contains(list.RootElement.GetProperty("data").EnumerateArray(), model => model.GetProperty("id").GetString()!.StartsWith(ReferenceServerFixture.DocumentedModel, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnthropicMessages_Answers()
    {
        var output = await CurlExample.RunAsync("""
            curl http://localhost:12434/v1/messages \
              -H "Content-Type: application/json" \
              -d '{
                "model": "ai/smollm2",
                "max_tokens": 1024,
                "messages": [
                  {"role": "user", "content": "Hello!"}
                ]
              }'
            """, fixture);

        using var message = JsonDocument.Parse(output);
        Assert.Equal("message", message.RootElement.GetProperty("type").GetString());
        Assert.Equal("text", message.RootElement.GetProperty("content")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnthropicMessages_Streaming_SendsTheWholeEventSequence()
    {
        var output = await CurlExample.RunAsync("""
            curl http://localhost:12434/v1/messages \
              -H "Content-Type: application/json" \
              -d '{
                "model": "ai/smollm2",
                "max_tokens": 1024,
                "stream": true,
                "messages": [
                  {"role": "user", "content": "Count from 1 to 10"}
                ]
              }'
            """, fixture);

        var events = output.Split('\n').Where(line => line.StartsWith("event: ", StringComparison.Ordinal)).Select(line => line["event: ".Length..].Trim()).Where(name => name != "ping").ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Equal("content_block_start", events[1]);
        Assert.Contains("content_block_delta", events);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events[^3..]);
    }

    [Fact]
    public async Task OllamaChat_StreamsLinesUntilDone()
    {
        var output = await CurlExample.RunAsync("""
            curl http://localhost:12434/api/chat \
              -H "Content-Type: application/json" \
              -d '{
                "model": "ai/smollm2",
                "messages": [
                  {"role": "user", "content": "Hello!"}
                ]
              }'
            """, fixture);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.True(last.RootElement.GetProperty("done").GetBoolean());
        Assert.True(last.RootElement.GetProperty("eval_count").GetInt32() > 0);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("assistant", first.RootElement.GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task OllamaTags_ListsTheModel()
    {
        var output = await CurlExample.RunAsync("curl http://localhost:12434/api/tags", fixture);

        using var tags = JsonDocument.Parse(output);
        Assert.Contains(tags.RootElement.GetProperty("models").EnumerateArray(), model => model.GetProperty("name").GetString()!.StartsWith(ReferenceServerFixture.DocumentedModel, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageGeneration_IsRefusedInOpenAisErrorShape()
    {
        // The example pipes the image through jq and base64 into a file; this engine has no
        // diffusion backend, so the request itself is what is checked.
        var output = await CurlExample.RunAsync("""
            curl -s -w '\n%{http_code}' -X POST http://localhost:12434/engines/diffusers/v1/images/generations \
              -H "Content-Type: application/json" \
              -d '{
                "model": "stable-diffusion:Q4",
                "prompt": "A picture of a nice cat",
                "size": "512x512"
              }'
            """, fixture);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal("501", lines[^1]);
        using var error = JsonDocument.Parse(string.Join('\n', lines[..^1]));
        Assert.NotEmpty(error.RootElement.GetProperty("error").GetProperty("message").GetString()!);
    }

    private static List<string> DataLines(string output) =>
        output.Split('\n').Where(line => line.StartsWith("data: ", StringComparison.Ordinal)).Select(line => line["data: ".Length..].Trim()).ToList();
}
