using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelRunner.Cli.Client;
using ModelRunner.Cli.Configuration;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner context create|use|ls|rm|inspect</c>: named runners to talk to (a server on another machine),
/// kept in <c>config.json</c> in the user's ModelRunner folder. <c>default</c> is the local runner;
/// <c>MODEL_RUNNER_HOST</c> still overrides whichever context is in use.
/// </summary>
internal static partial class ContextCommand
{
    public static Command Create()
    {
        var command = new Command("context", "Manage contexts: named Model Runners to talk to");
        command.Subcommands.Add(CreateContext());
        command.Subcommands.Add(Use());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Inspect());
        return command;
    }

    private static Command CreateContext()
    {
        var name = new Argument<string>("NAME") { Description = "The context's name (letters, digits, . _ -)" };
        var host = new Option<string>("--host") { Description = "The runner's API base URL, e.g. http://192.168.1.100:12434", Required = true };
        var description = new Option<string?>("--description") { Description = "What this runner is" };
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS (https)" };
        var caCert = new Option<FileInfo?>("--tls-ca-cert") { Description = "A PEM file with the CA certificate that signed the runner's (implies --tls)" };
        var skipVerify = new Option<bool>("--tls-skip-verify") { Description = "Do not verify the runner's certificate (implies --tls; for testing only)" };
        var command = new Command("create", "Create a named context") { name, host, description, tls, caCert, skipVerify };
        CommandAction.Set(command, (parse, _) =>
        {
            var contextName = parse.GetValue(name)!;
            if (contextName == CliConfig.DefaultContext || !ValidName().IsMatch(contextName))
            {
                throw new ArgumentException(contextName == CliConfig.DefaultContext
                    ? "'default' is the local runner's context and cannot be created"
                    : $"'{contextName}' is not a context name: use letters, digits, '.', '_' and '-'");
            }

            var config = CliConfig.Load();
            if (config.Contexts.ContainsKey(contextName))
            {
                throw new ArgumentException($"context '{contextName}' already exists; remove it first to change it");
            }

            var ca = parse.GetValue(caCert);
            var useTls = parse.GetValue(tls) || ca is not null || parse.GetValue(skipVerify);
            var uri = ServerEndpoint.Parse(parse.GetValue(host)!, "--host");
            if (uri.Scheme == "https")
            {
                useTls = true;
            }
            else if (useTls)
            {
                uri = new UriBuilder(uri) { Scheme = "https", Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri;
            }

            string? caPath = null;
            if (ca is not null)
            {
                caPath = ca.Exists ? ca.FullName : throw new FileNotFoundException($"no such file: {ca.FullName}");
                try
                {
                    using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
                }
                catch (CryptographicException e)
                {
                    throw new ArgumentException($"{caPath} is not a PEM certificate: {e.Message}", e);
                }
            }

            var context = new RunnerContext
            {
                Host = uri.AbsoluteUri,
                Description = parse.GetValue(description),
                Tls = useTls,
                TlsCaCert = caPath,
                TlsSkipVerify = parse.GetValue(skipVerify),
            };
            CliConfig.Save(config with { Contexts = new Dictionary<string, RunnerContext>(config.Contexts) { [contextName] = context } });
            Console.WriteLine($"Created context {contextName} ({context.Host})");
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Use()
    {
        var name = new Argument<string>("NAME") { Description = "The context to use; \"default\" for the local runner" };
        var command = new Command("use", "Set the context the other verbs use") { name };
        CommandAction.Set(command, async (parse, _) =>
        {
            var contextName = parse.GetValue(name)!;
            var config = CliConfig.Load();
            if (contextName != CliConfig.DefaultContext && !config.Contexts.ContainsKey(contextName))
            {
                throw new ArgumentException($"no context '{contextName}' (see `modelrunner context ls`)");
            }

            CliConfig.Save(config with { CurrentContext = contextName == CliConfig.DefaultContext ? null : contextName });
            Console.WriteLine($"Using context {contextName} ({HostOf(config, contextName)})");
            await WarnWhenOverriddenAsync().ConfigureAwait(false);
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("ls", "List the contexts; * marks the one in use");
        command.Aliases.Add("list");
        CommandAction.Set(command, async (_, _) =>
        {
            var config = CliConfig.Load();
            var current = config.CurrentContext ?? CliConfig.DefaultContext;
            var rows = Names(config).Select(contextName => (IReadOnlyList<string>)
            [
                contextName == current ? contextName + " *" : contextName,
                contextName == CliConfig.DefaultContext ? "The local runner" : config.Contexts[contextName].Description ?? "",
                HostOf(config, contextName),
                contextName != CliConfig.DefaultContext && config.Contexts[contextName].Tls ? "yes" : "no",
            ]);
            TextTable.Write(Console.Out, ["NAME", "DESCRIPTION", "HOST", "TLS"], rows);
            await WarnWhenOverriddenAsync().ConfigureAwait(false);
        });
        return command;
    }

    private static Command Remove()
    {
        var names = new Argument<string[]>("NAME") { Description = "The contexts to remove", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Remove the context in use too (the default one is used after)" };
        var command = new Command("rm", "Remove contexts") { names, force };
        command.Aliases.Add("remove");
        CommandAction.Set(command, (parse, _) =>
        {
            var config = CliConfig.Load();
            var contexts = new Dictionary<string, RunnerContext>(config.Contexts);
            var current = config.CurrentContext;
            var removed = new List<string>();
            foreach (var contextName in parse.GetValue(names)!)
            {
                if (contextName == CliConfig.DefaultContext)
                {
                    throw new ArgumentException("the default context cannot be removed");
                }

                if (!contexts.Remove(contextName))
                {
                    throw new ArgumentException($"no context '{contextName}' (see `modelrunner context ls`)");
                }

                if (contextName == current)
                {
                    current = parse.GetValue(force) ? null : throw new ArgumentException($"context '{contextName}' is in use: `modelrunner context use default` first, or remove it with --force");
                }

                removed.Add(contextName);
            }

            CliConfig.Save(config with { Contexts = contexts, CurrentContext = current });
            Console.WriteLine($"Removed context{(removed.Count > 1 ? "s" : "")} {string.Join(", ", removed)}");
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Inspect()
    {
        var names = new Argument<string[]>("NAME") { Description = "The contexts to describe (default: the one in use)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("inspect", "Show contexts as JSON") { names };
        CommandAction.Set(command, (parse, _) =>
        {
            var config = CliConfig.Load();
            var current = config.CurrentContext ?? CliConfig.DefaultContext;
            var wanted = parse.GetValue(names) is { Length: > 0 } given ? given : [current];
            var details = new JsonArray();
            foreach (var contextName in wanted)
            {
                if (contextName != CliConfig.DefaultContext && !config.Contexts.ContainsKey(contextName))
                {
                    throw new ArgumentException($"no context '{contextName}' (see `modelrunner context ls`)");
                }

                var context = contextName == CliConfig.DefaultContext ? null : config.Contexts[contextName];
                details.Add(new JsonObject
                {
                    ["name"] = contextName,
                    ["current"] = contextName == current,
                    ["host"] = HostOf(config, contextName),
                    ["description"] = context is null ? "The local runner" : context.Description,
                    ["tls"] = context?.Tls ?? false,
                    ["tls_ca_cert"] = context?.TlsCaCert,
                    ["tls_skip_verify"] = context?.TlsSkipVerify ?? false,
                });
            }

            Console.WriteLine(details.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return Task.CompletedTask;
        });
        return command;
    }

    private static IEnumerable<string> Names(CliConfigFile config) =>
        config.Contexts.Keys.Order(StringComparer.Ordinal).Prepend(CliConfig.DefaultContext);

    private static string HostOf(CliConfigFile config, string contextName) =>
        contextName == CliConfig.DefaultContext ? ServerEndpoint.Local().Address.AbsoluteUri : config.Contexts[contextName].Host;

    /// <summary>Says so on stderr when <c>MODEL_RUNNER_HOST</c> will win over the context, which would otherwise surprise.</summary>
    private static Task WarnWhenOverriddenAsync() =>
        Environment.GetEnvironmentVariable("MODEL_RUNNER_HOST") is { Length: > 0 } host
            ? Console.Error.WriteLineAsync($"note: MODEL_RUNNER_HOST={host} is set and overrides the context in use")
            : Task.CompletedTask;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex ValidName();
}
