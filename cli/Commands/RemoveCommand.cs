using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner rm [-f] MODEL…</c>: untags, and deletes a model with its last tag.</summary>
internal static class RemoveCommand
{
    public static Command Create()
    {
        var models = new Argument<string[]>("MODEL") { Description = "Models to remove", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Remove even a loaded model, or an id with several tags" };
        var command = new Command("rm", "Remove local models") { models, force };
        command.Aliases.Add("remove");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            foreach (var model in parse.GetValue(models)!)
            {
                var query = parse.GetValue(force) ? "?force=true" : "";
                var lines = await client.SendJsonAsync(HttpMethod.Delete, $"models/{model}{query}", null, cancellationToken).ConfigureAwait(false);
                foreach (var line in lines?.AsArray() ?? [])
                {
                    foreach (var (verb, value) in line!.AsObject())
                    {
                        Console.WriteLine($"{verb}: {value}");
                    }
                }
            }
        });
        return command;
    }
}
