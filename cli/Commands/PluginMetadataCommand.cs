using System.CommandLine;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>docker-cli-plugin-metadata</c>: what the Docker CLI asks a plugin binary before it lists it,
/// so that this binary installed as <c>~/.docker/cli-plugins/docker-model</c> serves <c>docker model …</c>.
/// </summary>
internal static class PluginMetadataCommand
{
    public static Command Create()
    {
        var command = new Command("docker-cli-plugin-metadata", "Docker CLI plugin metadata") { Hidden = true };
        CommandAction.Set(command, (_, _) =>
        {
            Console.WriteLine(new JsonObject
            {
                ["SchemaVersion"] = "0.1.0",
                ["Vendor"] = "ModelRunner",
                ["Version"] = VersionCommand.ClientVersion,
                ["ShortDescription"] = "Docker Model Runner (ModelRunner)",
            }.ToJsonString());
            return Task.CompletedTask;
        });
        return command;
    }
}
