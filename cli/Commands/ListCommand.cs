using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner list|ls [--json|--openai|-q]</c>: the local models, one row per tag.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the models as DMR's JSON" };
        var openAi = new Option<bool>("--openai") { Description = "Print the models as OpenAI's /v1/models list" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print model ids only" };
        var command = new Command("list", "List the local models") { json, openAi, quiet };
        command.Aliases.Add("ls");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            if (parse.GetValue(openAi))
            {
                Console.WriteLine((await client.GetJsonAsync("engines/v1/models", cancellationToken).ConfigureAwait(false))?.ToJsonString());
                return;
            }

            var models = (await client.GetJsonAsync("models", cancellationToken).ConfigureAwait(false))?.AsArray() ?? [];
            if (parse.GetValue(json))
            {
                Console.WriteLine(models.ToJsonString());
                return;
            }

            if (parse.GetValue(quiet))
            {
                foreach (var id in models.Select(model => ShortId(model!)).Distinct())
                {
                    Console.WriteLine(id);
                }

                return;
            }

            var rows = models.SelectMany(model => Tags(model!).Select(tag => (IReadOnlyList<string>)
            [
                tag,
                Text(model!["config"]?["parameters"]),
                Text(model!["config"]?["quantization"]),
                Text(model!["config"]?["architecture"]),
                ShortId(model!),
                TextTable.Ago(DateTimeOffset.FromUnixTimeSeconds(model!["created"]?.GetValue<long>() ?? 0)),
                Text(model!["config"]?["size"]),
            ]));
            TextTable.Write(Console.Out, ["MODEL", "PARAMETERS", "QUANTIZATION", "ARCHITECTURE", "MODEL ID", "CREATED", "SIZE"], rows);
        });
        return command;
    }

    private static IEnumerable<string> Tags(JsonNode model) =>
        model["tags"]?.AsArray().Select(tag => tag!.GetValue<string>()) is { } tags && tags.Any() ? tags : ["<none>"];

    private static string ShortId(JsonNode model) => model["id"]!.GetValue<string>().Replace("sha256:", "", StringComparison.Ordinal)[..12];

    private static string Text(JsonNode? value) => value?.GetValue<string>() ?? "";
}
