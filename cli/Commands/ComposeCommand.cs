using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// Docker Compose's provider protocol: Compose runs <c>compose --project-name P up --model M
/// [--context-size N] [--runtime-flags "…"] SERVICE</c> for a <c>provider: type: model</c>
/// service and reads JSON lines <c>{"type": "info|error|debug|setenv", "message": …}</c>; each
/// <c>setenv NAME=VALUE</c> becomes <c>SERVICE_NAME</c> in the dependent services.
/// <c>metadata</c> describes the options; <c>down</c> leaves the model to unload when idle.
/// </summary>
internal static class ComposeCommand
{
    public static Command Create()
    {
        var project = new Option<string?>("--project-name") { Description = "The Compose project", Recursive = true };
        var command = new Command("compose", "Docker Compose model provider") { project };
        command.Subcommands.Add(Up());
        command.Subcommands.Add(Down());
        command.Subcommands.Add(Metadata());
        return command;
    }

    private static Command Up()
    {
        var model = new Option<string>("--model") { Description = "The model to provide", Required = true };
        var context = new Option<int?>("--context-size") { Description = "Context size in tokens" };
        var flags = new Option<string?>("--runtime-flags") { Description = "llama.cpp runtime flags, space-separated" };
        var service = new Argument<string>("SERVICE") { Description = "The provider service's name" };
        var command = new Command("up", "Pull, configure and load the model, then tell Compose how to reach it") { model, context, flags, service };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(model)!;
            using var client = new ServerClient();
            try
            {
                await ProvideAsync(client, name, parse.GetValue(context), parse.GetValue(flags), cancellationToken).ConfigureAwait(false);
            }
            catch (ServerException failed)
            {
                Emit("error", failed.Message);
                throw new CommandExit(1);
            }
        });
        return command;
    }

    private static async Task ProvideAsync(ServerClient client, string model, int? contextSize, string? flags, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetJsonAsync($"models/{model}", cancellationToken).ConfigureAwait(false);
            Emit("info", $"{model} is already pulled");
        }
        catch (ServerException missing) when (missing.Status == 404)
        {
            Emit("info", $"pulling {model}");
            await foreach (var line in client.StreamLinesAsync(HttpMethod.Post, "models/create", new JsonObject { ["from"] = model }, cancellationToken).ConfigureAwait(false))
            {
                var progress = JsonNode.Parse(line);
                var type = progress?["type"]?.GetValue<string>();
                if (type == "error")
                {
                    throw new ServerException(progress?["message"]?.GetValue<string>() ?? "the pull failed");
                }

                Emit("debug", progress?["message"]?.GetValue<string>() ?? line);
            }
        }

        if (contextSize is not null || flags is { Length: > 0 })
        {
            var runtimeFlags = (flags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await client.SendJsonAsync(HttpMethod.Post, "engines/_configure", new JsonObject
            {
                ["model"] = model,
                ["context-size"] = contextSize,
                ["runtime-flags"] = new JsonArray([.. runtimeFlags.Select(flag => JsonValue.Create(flag))]),
            }, cancellationToken).ConfigureAwait(false);
            Emit("info", $"configured {model}");
        }

        Emit("info", $"loading {model}");
        await client.SendTextAsync(HttpMethod.Post, "engines/v1/chat/completions", new JsonObject { ["model"] = model, ["messages"] = new JsonArray() }, cancellationToken, new Dictionary<string, string> { ["X-Preload-Only"] = "true" }).ConfigureAwait(false);
        Emit("setenv", $"URL={client.BaseAddress}engines/v1/");
        Emit("setenv", $"MODEL={model}");
    }

    private static Command Down()
    {
        var model = new Option<string?>("--model") { Description = "The model provided" };
        var service = new Argument<string?>("SERVICE") { Description = "The provider service's name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("down", "Release the model (it unloads when idle)") { model, service };
        CommandAction.Set(command, (_, _) =>
        {
            Emit("info", "the model stays available and unloads when idle");
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Metadata()
    {
        var command = new Command("metadata", "Describe the provider's options for Compose");
        CommandAction.Set(command, (_, _) =>
        {
            static JsonObject Parameter(string name, string description, bool required, string type) =>
                new() { ["name"] = name, ["description"] = description, ["required"] = required, ["type"] = type };
            var metadata = new JsonObject
            {
                ["description"] = "ModelRunner: runs LLMs and serves them through OpenAI-, Anthropic- and Ollama-compatible APIs",
                ["up"] = new JsonObject
                {
                    ["parameters"] = new JsonArray(
                        Parameter("model", "The model to pull and run, e.g. ai/smollm2", true, "string"),
                        Parameter("context-size", "Context size in tokens", false, "integer"),
                        Parameter("runtime-flags", "llama.cpp runtime flags, space-separated", false, "string")),
                },
                ["down"] = new JsonObject { ["parameters"] = new JsonArray(Parameter("model", "The model provided", false, "string")) },
            };
            Console.WriteLine(metadata.ToJsonString());
            return Task.CompletedTask;
        });
        return command;
    }

    private static void Emit(string type, string message) =>
        Console.WriteLine(new JsonObject { ["type"] = type, ["message"] = message }.ToJsonString());
}
