using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner ps</c>: the loaded models.</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var command = new Command("ps", "List the loaded models");
        CommandAction.Set(command, async (_, cancellationToken) =>
        {
            using var client = new ServerClient();
            var runners = (await client.GetJsonAsync("engines/ps", cancellationToken).ConfigureAwait(false))?.AsArray() ?? [];
            TextTable.Write(Console.Out, ["MODEL NAME", "BACKEND", "MODE", "KEEP ALIVE", "LAST USED", "MEMORY"], runners.Select(runner => (IReadOnlyList<string>)
            [
                runner!["model"]!.GetValue<string>(),
                runner["backend"]!.GetValue<string>(),
                runner["mode"]!.GetValue<string>(),
                runner["keep_alive"]!.GetValue<string>(),
                runner["in_use"]!.GetValue<bool>() ? "in use" : TextTable.Ago(runner["last_used"]!.GetValue<DateTimeOffset>()),
                TransferProgress.Size(runner["memory"]!.GetValue<long>()),
            ]));
        });
        return command;
    }
}
