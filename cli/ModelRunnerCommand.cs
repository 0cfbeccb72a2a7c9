using System.CommandLine;
using ModelRunner.Cli.Commands;

namespace ModelRunner.Cli;

/// <summary>The <c>modelrunner</c> root command: the <c>docker model</c> verbs and our developer tools.</summary>
internal static class ModelRunnerCommand
{
    /// <summary>Shows stack traces on failure instead of one line.</summary>
    public static readonly Option<bool> Debug = new("--debug") { Description = "Show full error details", Recursive = true };

    public static RootCommand Create() =>
        new("ModelRunner: pull, run and serve LLMs through OpenAI, Anthropic and Ollama APIs.")
        {
            Debug,
            StatusCommand.Create(),
            VersionCommand.Create(),
            PullCommand.Create(),
            PushCommand.Create(),
            ListCommand.Create(),
            RemoveCommand.Create(),
            PurgeCommand.Create(),
            RunCommand.Create(),
            InspectCommand.Create(),
            TagCommand.Create(),
            PackageCommand.Create(),
            ConfigureCommand.Create(),
            PsCommand.Create(),
            NodesCommand.Create(),
            DfCommand.Create(),
            UnloadCommand.Create(),
            LogsCommand.Create(),
            RequestsCommand.Create(),
            SearchCommand.Create(),
            BenchCommand.Create(),
            ContextCommand.Create(),
            ComposeCommand.Create(),
            PluginMetadataCommand.Create(),
            RunnerCommands.Start(),
            RunnerCommands.Stop(),
            RunnerCommands.Restart(),
            RunnerCommands.Install(),
            RunnerCommands.Uninstall(),
            ServeCommand.Create(),
            TestModelCommand.Create(),
            GenerateCommand.Create(),
        };
}
