using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner unload [--all | MODEL…]</c>: frees loaded models now.</summary>
internal static class UnloadCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Unload every model" };
        var models = new Argument<string[]>("MODEL") { Description = "Models to unload", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("unload", "Unload models from memory") { all, models };
        command.Validators.Add(result =>
        {
            if (!result.GetValue(all) && (result.GetValue(models) ?? []).Length == 0)
            {
                result.AddError("name the models to unload, or use --all");
            }
        });
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var body = parse.GetValue(all)
                ? new JsonObject { ["all"] = true }
                : new JsonObject { ["models"] = new JsonArray([.. parse.GetValue(models)!.Select(model => JsonValue.Create(model))]) };
            using var client = new ServerClient();
            var result = await client.SendJsonAsync(HttpMethod.Post, "engines/unload", body, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Unloaded {result?["unloaded_runners"]} model(s)");
        });
        return command;
    }
}
