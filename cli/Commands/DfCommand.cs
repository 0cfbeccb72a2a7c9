using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner df</c>: disk used by models and by the inference engine.</summary>
internal static class DfCommand
{
    public static Command Create()
    {
        var command = new Command("df", "Show disk usage");
        CommandAction.Set(command, async (_, cancellationToken) =>
        {
            using var client = new ServerClient();
            var usage = await client.GetJsonAsync("engines/df", cancellationToken).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["TYPE", "SIZE"],
            [
                ["Models", TransferProgress.Size(usage!["models_disk_usage"]!.GetValue<long>())],
                ["Incomplete downloads", TransferProgress.Size(usage["incomplete_disk_usage"]!.GetValue<long>())],
                ["Inference engine", TransferProgress.Size(usage["default_backend_disk_usage"]!.GetValue<long>())],
            ]);
        });
        return command;
    }
}
