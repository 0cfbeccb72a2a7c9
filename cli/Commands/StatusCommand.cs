using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner status [--json]</c>: whether the server runs, and its engine; exit 1 when it does not.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "Check whether the ModelRunner server is running") { json };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            JsonNode? engines;
            try
            {
                engines = await client.GetJsonAsync("engines/status", cancellationToken).ConfigureAwait(false);
            }
            catch (ServerException down) when (down.Status is null)
            {
                Console.WriteLine(parse.GetValue(json)
                    ? new JsonObject { ["running"] = false, ["endpoint"] = client.BaseAddress.ToString(), ["error"] = down.Message }.ToJsonString()
                    : $"ModelRunner is not running ({down.Message})");
                throw new CommandExit(1);
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject { ["running"] = true, ["endpoint"] = client.BaseAddress.ToString(), ["engines"] = engines?.DeepClone() }.ToJsonString());
                return;
            }

            Console.WriteLine($"ModelRunner is running at {client.BaseAddress}");
            foreach (var (engine, state) in engines?.AsObject() ?? [])
            {
                Console.WriteLine($"{engine}: {state}");
            }
        });
        return command;
    }
}
