using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner nodes</c>: the cluster's nodes, their status, loaded models and memory.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the nodes as JSON" };
        var command = new Command("nodes", "List the nodes of the cluster") { json };
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            using var client = new ServerClient();
            var nodes = (await client.GetJsonAsync("engines/nodes", cancellationToken).ConfigureAwait(false))?.AsArray() ?? [];
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(nodes.ToJsonString());
                return;
            }

            TextTable.Write(Console.Out, ["NODE", "ADDRESS", "STATUS", "MODELS", "MEMORY FREE", "MEMORY TOTAL"], nodes.Select(node => (IReadOnlyList<string>)
            [
                (node!["self"]!.GetValue<bool>() ? "* " : "") + (node["url"]?.GetValue<string>() ?? node["name"]!.GetValue<string>()),
                node["address"]!.GetValue<string>(),
                node["status"]!.GetValue<string>(),
                node["loaded_models"] is { } models ? string.Join(", ", models.AsArray().Select(model => model!.GetValue<string>())) : "?",
                node["memory_free_bytes"] is { } free ? TransferProgress.Size(free.GetValue<long>()) : "?",
                node["memory_total_bytes"] is { } total ? TransferProgress.Size(total.GetValue<long>()) : "?",
            ]));
        });
        return command;
    }
}
