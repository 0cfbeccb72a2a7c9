using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner logs [-f]</c>: the server's recent log lines, and with <c>-f</c> new ones as they come.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var command = new Command("logs", "Show the server's logs") { follow };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            await foreach (var line in client.StreamLinesAsync(HttpMethod.Get, $"logs?follow={(parse.GetValue(follow) ? "true" : "false")}", null, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine(line);
            }
        });
        return command;
    }
}
