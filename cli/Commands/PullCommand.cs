using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner pull MODEL</c>: pulls into the server's store with live progress.</summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to pull (ai/smollm2, hf.co/org/repo:quant, registry/name:tag)" };
        var command = new Command("pull", "Pull a model from Docker Hub, Hugging Face or any OCI registry") { model };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var name = parse.GetValue(model)!;
            var lines = client.StreamLinesAsync(HttpMethod.Post, "models/create", new JsonObject { ["from"] = name }, cancellationToken);
            var message = await TransferProgress.ShowAsync(lines).ConfigureAwait(false);
            Console.WriteLine(message.Length > 0 ? message : $"Pulled {name}");
        });
        return command;
    }
}
