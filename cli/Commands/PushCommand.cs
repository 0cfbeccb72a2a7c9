using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner push MODEL</c>: pushes a local model to its registry with live progress.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Local model to push (its name says the registry)" };
        var command = new Command("push", "Push a model to a registry") { model };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var name = parse.GetValue(model)!;
            var message = await TransferProgress.ShowAsync(client.StreamLinesAsync(HttpMethod.Post, $"models/{name}/push", null, cancellationToken)).ConfigureAwait(false);
            Console.WriteLine(message.Length > 0 ? message : $"Pushed {name}");
        });
        return command;
    }
}
