using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;
using ModelRunner.Cli.Runner;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner status [--json]</c>: whether the server runs, which runner it is (a background runner, the systemd
/// service, a context's, <c>MODEL_RUNNER_HOST</c>'s, or one started some other way), and its engine; exit 1 when
/// it does not run.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "Check whether the ModelRunner server is running") { json };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var runner = await DescribeAsync(client, cancellationToken).ConfigureAwait(false);
            JsonNode? engines;
            try
            {
                engines = await client.GetJsonAsync("engines/status", cancellationToken).ConfigureAwait(false);
            }
            catch (ServerException down) when (down.Status is null)
            {
                Console.WriteLine(parse.GetValue(json)
                    ? new JsonObject { ["running"] = false, ["endpoint"] = client.BaseAddress.ToString(), ["runner"] = runner, ["error"] = down.Message }.ToJsonString()
                    : $"ModelRunner is not running ({down.Message})");
                throw new CommandExit(1);
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject { ["running"] = true, ["endpoint"] = client.BaseAddress.ToString(), ["runner"] = runner, ["engines"] = engines?.DeepClone() }.ToJsonString());
                return;
            }

            Console.WriteLine($"ModelRunner is running at {client.BaseAddress}");
            Console.WriteLine($"Runner: {runner["description"]}");
            foreach (var (engine, state) in engines?.AsObject() ?? [])
            {
                Console.WriteLine($"{engine}: {state}");
            }
        });
        return command;
    }

    /// <summary>Which runner the CLI talks to: <c>{kind, description, …}</c>; kind is background, systemd, context, environment or external.</summary>
    private static async Task<JsonObject> DescribeAsync(ServerClient client, CancellationToken cancellationToken)
    {
        var via = client.Endpoint.Via;
        if (via == "MODEL_RUNNER_HOST")
        {
            return new JsonObject { ["kind"] = "environment", ["description"] = "set by MODEL_RUNNER_HOST" };
        }

        if (via.StartsWith("context ", StringComparison.Ordinal))
        {
            var name = via["context ".Length..];
            return new JsonObject { ["kind"] = "context", ["context"] = name, ["description"] = $"context {name}" };
        }

        if (via == "runner" && RunnerFiles.LoadAlive() is { } record)
        {
            return new JsonObject
            {
                ["kind"] = "background",
                ["pid"] = record.Pid,
                ["log"] = record.Log,
                ["description"] = $"background runner (start-runner), pid {record.Pid}, logs in {record.Log}",
            };
        }

        if (via == "service")
        {
            var active = await SystemdService.IsActiveAsync(cancellationToken).ConfigureAwait(false);
            return new JsonObject
            {
                ["kind"] = "systemd",
                ["unit"] = SystemdService.Unit,
                ["active"] = active,
                ["description"] = $"systemd user service {SystemdService.Unit} ({(active ? "active" : "inactive")})",
            };
        }

        return new JsonObject { ["kind"] = "external", ["description"] = "not started by start-runner or install-runner (`modelrunner serve`, say)" };
    }
}
