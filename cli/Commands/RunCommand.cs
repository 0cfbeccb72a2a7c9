using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner run MODEL [PROMPT]</c>: with a prompt (or piped input), streams one answer;
/// on a terminal without one, an interactive chat whose context the server keeps in a
/// conversation; <c>--detach</c> only loads the model.
/// </summary>
internal static class RunCommand
{
    private const string Help = """
        Commands:
          /bye                  leave
          /clear                start a new conversation
          /set temperature X    also top_p, top_k, max_tokens, seed
          /set system TEXT      a system message for the next turn
          /help                 this list
        Start and end a multi-line message with three quotes (\"\"\").
        """;

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The model to run" };
        var prompt = new Argument<string[]>("PROMPT") { Description = "A prompt for one answer (else stdin, else an interactive chat)", Arity = ArgumentArity.ZeroOrMore };
        var detach = new Option<bool>("--detach", "-d") { Description = "Load the model in the background and return" };
        var command = new Command("run", "Run a model: one answer, or an interactive chat") { model, prompt, detach };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var name = parse.GetValue(model)!;
            if (parse.GetValue(detach))
            {
                var body = new JsonObject { ["model"] = name, ["messages"] = new JsonArray() };
                await client.SendTextAsync(HttpMethod.Post, "engines/v1/chat/completions", body, cancellationToken, new Dictionary<string, string> { ["X-Preload-Only"] = "true" }).ConfigureAwait(false);
                Console.WriteLine($"Loaded {name}");
                return;
            }

            var text = string.Join(' ', parse.GetValue(prompt) ?? []);
            if (text.Length == 0 && Console.IsInputRedirected)
            {
                text = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
            }

            if (text.Length > 0)
            {
                await AnswerAsync(client, name, [Message("user", text)], new JsonObject(), null, cancellationToken).ConfigureAwait(false);
                return;
            }

            await ChatAsync(client, name, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task ChatAsync(ServerClient client, string model, CancellationToken cancellationToken)
    {
        var conversation = Guid.NewGuid().ToString("N");
        var settings = new JsonObject();
        string? system = null;
        Console.WriteLine($"Chatting with {model}. /help for commands, /bye to leave.");
        while (true)
        {
            Console.Write("> ");
            if (await ReadMessageAsync(cancellationToken).ConfigureAwait(false) is not { } line)
            {
                return;
            }

            switch (line.Trim())
            {
                case "":
                    continue;
                case "/bye":
                    return;
                case "/help" or "/?":
                    Console.WriteLine(Help);
                    continue;
                case "/clear":
                    conversation = Guid.NewGuid().ToString("N");
                    Console.WriteLine("Started a new conversation.");
                    continue;
                case var set when set.StartsWith("/set ", StringComparison.Ordinal):
                    system = Set(set[5..].Trim(), settings) ?? system;
                    continue;
                case var other when other.StartsWith('/'):
                    Console.WriteLine($"Unknown command {other.Split(' ')[0]}; /help lists them.");
                    continue;
            }

            JsonNode[] messages = system is null ? [Message("user", line)] : [Message("system", system), Message("user", line)];
            system = null;
            await AnswerAsync(client, model, messages, settings, conversation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A line, or with <c>"""</c> every line up to the closing <c>"""</c>; null at the end of input.</summary>
    private static async Task<string?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var line = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null || !line.TrimStart().StartsWith("\"\"\"", StringComparison.Ordinal))
        {
            return line;
        }

        var text = new StringBuilder(line.TrimStart()[3..]);
        while (!text.ToString().TrimEnd().EndsWith("\"\"\"", StringComparison.Ordinal))
        {
            Console.Write(". ");
            if (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } more)
            {
                break;
            }

            text.Append('\n').Append(more);
        }

        var whole = text.ToString().TrimEnd();
        return whole.EndsWith("\"\"\"", StringComparison.Ordinal) ? whole[..^3] : whole;
    }

    /// <summary>Applies <c>/set NAME VALUE</c>; returns the system message when that is what was set.</summary>
    private static string? Set(string assignment, JsonObject settings)
    {
        var parts = assignment.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts is ["system", var text])
        {
            Console.WriteLine("Set the system message.");
            return text;
        }

        if (parts is [("temperature" or "top_p" or "top_k" or "max_tokens" or "seed") and var name, var value]
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            settings[name] = name is "top_k" or "max_tokens" or "seed" ? JsonValue.Create((long)number) : JsonValue.Create(number);
            Console.WriteLine($"Set {name} to {value}.");
            return null;
        }

        Console.WriteLine("Usage: /set temperature|top_p|top_k|max_tokens|seed NUMBER, or /set system TEXT");
        return null;
    }

    private static async Task AnswerAsync(ServerClient client, string model, JsonNode[] messages, JsonObject settings, string? conversation, CancellationToken cancellationToken)
    {
        var body = (JsonObject)settings.DeepClone();
        body["model"] = model;
        body["messages"] = new JsonArray(messages);
        body["stream"] = true;
        var headers = conversation is null ? null : new Dictionary<string, string> { ["X-Conversation-Id"] = conversation };
        await foreach (var data in client.StreamLinesAsync(HttpMethod.Post, "engines/v1/chat/completions", body, cancellationToken, headers).ConfigureAwait(false))
        {
            if (data == "[DONE]")
            {
                break;
            }

            if (JsonNode.Parse(data)?["choices"]?[0]?["delta"]?["content"]?.GetValue<string>() is { Length: > 0 } piece)
            {
                Console.Write(piece);
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        Console.WriteLine();
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
