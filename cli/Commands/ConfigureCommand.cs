using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner configure [--context-size N] [--keep-alive D] [--replicas N] [--think | --reasoning-budget N]
/// [--speculative-draft-model M [--speculative-num-tokens N] [--speculative-min-acceptance-rate P]] MODEL [-- FLAGS…]</c>
/// stores a model's settings (applied at its next load); <c>configure show MODEL</c> prints them.
/// <c>--think</c> and <c>--reasoning-budget</c> are llama-server's <c>--reasoning-budget</c> flag (-1, or N tokens; 0 turns thinking off).
/// </summary>
internal static class ConfigureCommand
{
    public static Command Create()
    {
        var context = new Option<int?>("--context-size") { Description = "Context size in tokens" };
        var keepAlive = new Option<string?>("--keep-alive") { Description = "Idle time before unloading (5m, 1h, 0, -1 for never)" };
        var replicas = new Option<int?>("--replicas") { Description = "In a cluster, up to N nodes each hold an activation of the model when load asks for it" };
        var think = new Option<bool>("--think") { Description = "A reasoning model thinks before answering, without limit (--reasoning-budget -1)" };
        var budget = new Option<int?>("--reasoning-budget") { Description = "Thinking tokens before the answer: N, -1 for no limit, 0 for no thinking" };
        var draft = new Option<string?>("--speculative-draft-model") { Description = "Draft model for speculative decoding (a model in the store sharing this model's vocabulary)" };
        var draftTokens = new Option<int?>("--speculative-num-tokens") { Description = "Tokens the draft proposes per step (default 16)" };
        var minAcceptance = new Option<double?>("--speculative-min-acceptance-rate") { Description = "Stop drafting for a request whose acceptance rate falls below this, 0–1 (default 0)" };
        var model = new Argument<string>("MODEL") { Description = "The model to configure" };
        var flags = new Argument<string[]>("FLAGS") { Description = "llama.cpp runtime flags after --, e.g. -- --temp 0.2 --threads 4", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("configure", "Configure a model's context size, keep-alive, replicas, reasoning, speculative decoding and runtime flags")
        {
            context, keepAlive, replicas, think, budget, draft, draftTokens, minAcceptance, model, flags,
        };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(draft) is null && (parse.GetValue(draftTokens) is not null || parse.GetValue(minAcceptance) is not null))
            {
                throw new ArgumentException("--speculative-num-tokens and --speculative-min-acceptance-rate need --speculative-draft-model");
            }

            var reasoning = (parse.GetValue(think), parse.GetValue(budget)) switch
            {
                (true, 0) => throw new ArgumentException("--think and --reasoning-budget 0 contradict each other: thinking is either on or off"),
                (_, < -1) => throw new ArgumentException($"--reasoning-budget must be -1 (no limit), 0 (no thinking) or a number of tokens, not {parse.GetValue(budget)}"),
                (_, { } tokens) => new[] { "--reasoning-budget", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                (true, null) => ["--reasoning-budget", "-1"],
                _ => [],
            };
            var body = new JsonObject
            {
                ["model"] = parse.GetValue(model),
                ["context-size"] = parse.GetValue(context),
                ["runtime-flags"] = new JsonArray([.. (parse.GetValue(flags) ?? []).Concat(reasoning).Select(flag => JsonValue.Create(flag))]),
                ["keep_alive"] = parse.GetValue(keepAlive),
                ["replicas"] = parse.GetValue(replicas),
            };
            if (parse.GetValue(draft) is { } draftModel)
            {
                // DMR's speculative object; the server maps it onto llama.cpp-style runtime flags.
                body["speculative"] = new JsonObject
                {
                    ["draft_model"] = draftModel,
                    ["num_tokens"] = parse.GetValue(draftTokens),
                    ["min_acceptance_rate"] = parse.GetValue(minAcceptance),
                };
            }

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
