using System.Text.Json.Nodes;

namespace ModelRunner.Api.Tests.Fuzzing;

/// <summary>Every route of every API family (API.md), each with a valid request to start from.</summary>
internal static class FuzzRoutes
{
    public static IReadOnlyList<FuzzRoute> All { get; } = Build();

    private static JsonArray UserSaysHi() => [new JsonObject { ["role"] = "user", ["content"] = "Hi" }];

    private static JsonObject Options() => new() { ["num_predict"] = 2, ["temperature"] = 0, ["top_k"] = 40, ["top_p"] = 0.9, ["seed"] = 1, ["stop"] = new JsonArray("x"), ["num_ctx"] = 256, ["repeat_penalty"] = 1.1 };

    private static JsonArray OpenAiTools() =>
    [
        new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = "lookup",
                ["description"] = "looks up a word",
                ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["word"] = new JsonObject { ["type"] = "string" } }, ["required"] = new JsonArray("word") },
            },
        },
    ];

    private static JsonObject Schema() => new() { ["type"] = "object", ["properties"] = new JsonObject { ["n"] = new JsonObject { ["type"] = "integer" } }, ["required"] = new JsonArray("n") };

    private static List<FuzzRoute> Build()
    {
        var routes = new List<FuzzRoute>();
        foreach (var prefix in new[] { "/engines/v1", "/engines/llama.cpp/v1", "/v1" })
        {
            routes.AddRange(
            [
                new("GET", $"{prefix}/models"),
                new("GET", $"{prefix}/models/{{model}}"),
                new("POST", $"{prefix}/chat/completions", names => new JsonObject
                {
                    ["model"] = names.Model, ["messages"] = UserSaysHi(), ["max_tokens"] = 2, ["temperature"] = 0, ["n"] = 1, ["stop"] = new JsonArray("x"),
                    ["logprobs"] = true, ["top_logprobs"] = 2, ["seed"] = 7, ["stream"] = false, ["stream_options"] = new JsonObject { ["include_usage"] = true }, ["reasoning_effort"] = "low",
                    ["tools"] = OpenAiTools(), ["tool_choice"] = "auto",
                    ["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = new JsonObject { ["name"] = "n", ["schema"] = Schema() } },
                }, LengthField: "max_tokens"),
                new("POST", $"{prefix}/completions", names => new JsonObject
                {
                    ["model"] = names.Model, ["prompt"] = "Once", ["max_tokens"] = 2, ["temperature"] = 0, ["echo"] = false, ["stop"] = "x", ["logprobs"] = 1, ["stream"] = false,
                }, LengthField: "max_tokens"),
                new("POST", $"{prefix}/embeddings", _ => new JsonObject { ["model"] = TestServer.EmbeddingModel, ["input"] = new JsonArray("one", "two"), ["encoding_format"] = "float" }),
                new("POST", $"{prefix}/rerank", _ => new JsonObject { ["model"] = TestServer.RerankModel, ["query"] = "one", ["documents"] = new JsonArray("one", "two"), ["top_n"] = 1, ["return_documents"] = true }),
                new("POST", $"{prefix}/score", _ => new JsonObject { ["model"] = TestServer.RerankModel, ["text_1"] = "one", ["text_2"] = new JsonArray("one", "two") }),
                new("POST", $"{prefix}/responses", names => new JsonObject
                {
                    ["model"] = names.Model, ["input"] = "Hi", ["max_output_tokens"] = 2, ["temperature"] = 0, ["store"] = false, ["previous_response_id"] = names.Id,
                    ["tools"] = new JsonArray(new JsonObject { ["type"] = "function", ["name"] = "lookup", ["parameters"] = Schema() }), ["tool_choice"] = "auto",
                    ["instructions"] = "be brief", ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "json_schema", ["name"] = "n", ["schema"] = Schema() } },
                }, LengthField: "max_output_tokens"),
                new("GET", $"{prefix}/responses/{{id}}"),
                new("DELETE", $"{prefix}/responses/{{id}}"),
                new("GET", $"{prefix}/responses/{{id}}/input_items"),
                new("POST", $"{prefix}/conversations", _ => new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = "Hi" }), ["metadata"] = new JsonObject { ["topic"] = "fuzz" },
                }),
                new("GET", $"{prefix}/conversations/{{id}}"),
                new("POST", $"{prefix}/conversations/{{id}}", _ => new JsonObject { ["metadata"] = new JsonObject { ["topic"] = "fuzzed" } }),
                new("DELETE", $"{prefix}/conversations/{{id}}"),
                new("GET", $"{prefix}/conversations/{{id}}/items"),
                new("POST", $"{prefix}/conversations/{{id}}/items", _ => new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = "Hi" }) }),
                }),
            ]);
        }

        foreach (var prefix in new[] { "/anthropic/v1", "/v1" })
        {
            routes.Add(new("POST", $"{prefix}/messages", names => new JsonObject
            {
                ["model"] = names.Model, ["max_tokens"] = 2, ["messages"] = UserSaysHi(), ["system"] = "be brief", ["temperature"] = 0, ["top_k"] = 5, ["stop_sequences"] = new JsonArray("x"),
                ["stream"] = false, ["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 },
                ["tools"] = new JsonArray(new JsonObject { ["name"] = "lookup", ["description"] = "looks up", ["input_schema"] = Schema() }),
            }, LengthField: "max_tokens"));
            routes.Add(new("POST", $"{prefix}/messages/count_tokens", names => new JsonObject { ["model"] = names.Model, ["messages"] = UserSaysHi() }));
        }

        routes.AddRange(
        [
            new("GET", "/api/version"),
            new("GET", "/api/tags"),
            new("GET", "/api/ps"),
            new("POST", "/api/show", names => new JsonObject { ["model"] = names.Model, ["verbose"] = false }),
            new("POST", "/api/chat", names => new JsonObject
            {
                ["model"] = names.Model, ["messages"] = UserSaysHi(), ["stream"] = false, ["options"] = Options(), ["keep_alive"] = "5m", ["format"] = Schema(), ["think"] = false,
                ["tools"] = OpenAiTools(),
            }, LengthField: "num_predict"),
            new("POST", "/api/generate", names => new JsonObject
            {
                ["model"] = names.Model, ["prompt"] = "Once", ["stream"] = false, ["options"] = Options(), ["keep_alive"] = 300, ["format"] = "json", ["system"] = "be brief", ["raw"] = false,
            }, LengthField: "num_predict"),
            new("POST", "/api/embed", _ => new JsonObject { ["model"] = TestServer.EmbeddingModel, ["input"] = new JsonArray("one", "two"), ["truncate"] = true }),
            new("POST", "/api/embeddings", _ => new JsonObject { ["model"] = TestServer.EmbeddingModel, ["prompt"] = "one" }),
            new("DELETE", "/api/delete", names => new JsonObject { ["model"] = names.Model }, Destructive: true),
            new("POST", "/api/pull", names => new JsonObject { ["model"] = names.Model, ["stream"] = false, ["insecure"] = true }, Destructive: true),
            new("POST", "/api/push", names => new JsonObject { ["model"] = names.Model, ["stream"] = false, ["insecure"] = true }, Destructive: true),
            new("POST", "/api/create", names => new JsonObject { ["model"] = names.Model, ["from"] = TestServer.Model, ["parameters"] = new JsonObject { ["num_ctx"] = 128 }, ["stream"] = false }, Destructive: true),
            new("POST", "/api/copy", names => new JsonObject { ["source"] = TestServer.Model, ["destination"] = names.Model }, Destructive: true),
            new("HEAD", "/api/blobs/{id}"),
            new("POST", "/api/blobs/{id}", _ => new JsonObject { ["not"] = "a blob" }),

            new("GET", "/"),
            new("GET", "/version"),
            new("GET", "/logs"),
            new("GET", "/models"),
            new("GET", "/models/{model}"),
            new("POST", "/models/create", names => new JsonObject { ["from"] = names.Model }, Destructive: true),
            new("POST", "/models/package", names => new JsonObject { ["gguf"] = new JsonArray(names.Id), ["tag"] = names.Model, ["context_size"] = 128 }, Destructive: true),
            new("POST", "/models/load", _ => new JsonObject { ["not"] = "an archive" }, Destructive: true),
            new("POST", "/models/{model}/tag?repo={id}&tag=latest", Destructive: true),
            new("POST", "/models/{model}/push", Destructive: true),
            new("DELETE", "/models/{model}", Destructive: true),
            new("GET", "/engines/status"),
            new("GET", "/engines/ps"),
            new("GET", "/engines/df"),
            new("POST", "/engines/unload", names => new JsonObject { ["models"] = new JsonArray(names.Model), ["backend"] = "llama.cpp" }, Destructive: true),
            new("POST", "/engines/_configure", names => new JsonObject
            {
                ["model"] = names.Model, ["context-size"] = 256, ["runtime-flags"] = new JsonArray("--temp", "0.5", "--parallel=2"), ["keep_alive"] = "5m",
            }, Destructive: true),
            new("GET", "/engines/_configure?model={model}"),
            new("GET", "/engines/requests?model={model}"),
            new("POST", "/engines/diffusers/v1/images/generations", _ => new JsonObject { ["prompt"] = "a cat", ["n"] = 1 }),
            new("GET", "/engines/nodes"),
            new("GET", "/engines/node"),
            new("GET", "/engines/node/loaded"),
            new("GET", "/engines/node/placement/{id}"),
            new("GET", "/dashboard"),
            new("GET", "/dashboard/{id}"),
            new("GET", "/v2/"),
            new("GET", "/v2/{model}/manifests/latest"),
            new("GET", "/v2/{model}/blobs/{id}"),
        ]);
        return routes;
    }
}
