using System.CommandLine;
using System.Text.Json;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner inspect [--remote] MODEL</c>: a model's id, tags and configuration as JSON.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The model to describe" };
        var remote = new Option<bool>("--remote", "-r") { Description = "Ask the registry instead of the local store" };
        var command = new Command("inspect", "Show a model's details") { model, remote };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var query = parse.GetValue(remote) ? "?remote=true" : "";
            var details = await client.GetJsonAsync($"models/{parse.GetValue(model)}{query}", cancellationToken).ConfigureAwait(false);
            Console.WriteLine(details?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
        return command;
    }
}
