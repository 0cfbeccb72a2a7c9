using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner configure [--context-size N] [--keep-alive D] [--replicas N] MODEL [-- FLAGS…]</c> stores a
/// model's settings (applied at its next load); <c>configure show MODEL</c> prints them.
/// </summary>
internal static class ConfigureCommand
{
    public static Command Create()
    {
        var context = new Option<int?>("--context-size") { Description = "Context size in tokens" };
        var keepAlive = new Option<string?>("--keep-alive") { Description = "Idle time before unloading (5m, 1h, 0, -1 for never)" };
        var replicas = new Option<int?>("--replicas") { Description = "In a cluster, up to N nodes each hold an activation of the model when load asks for it" };
        var model = new Argument<string>("MODEL") { Description = "The model to configure" };
        var flags = new Argument<string[]>("FLAGS") { Description = "llama.cpp runtime flags after --, e.g. -- --temp 0.2 --threads 4", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("configure", "Configure a model's context size, keep-alive, replicas and runtime flags") { context, keepAlive, replicas, model, flags };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["model"] = parse.GetValue(model),
                ["context-size"] = parse.GetValue(context),
                ["runtime-flags"] = new JsonArray([.. (parse.GetValue(flags) ?? []).Select(flag => JsonValue.Create(flag))]),
                ["keep_alive"] = parse.GetValue(keepAlive),
                ["replicas"] = parse.GetValue(replicas),
            };
            using var client = new ServerClient();
            var stored = await client.SendJsonAsync(HttpMethod.Post, "engines/_configure", body, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Configured {parse.GetValue(model)}: {stored?.ToJsonString()}");
        });

        var shown = new Argument<string>("MODEL") { Description = "The model" };
        var show = new Command("show", "Show a model's configuration") { shown };
        CommandAction.Set(show, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var stored = await client.GetJsonAsync($"engines/_configure?model={Uri.EscapeDataString(parse.GetValue(shown)!)}", cancellationToken).ConfigureAwait(false);
            Console.WriteLine(stored?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
        command.Subcommands.Add(show);
        return command;
    }
}
