using System.CommandLine;
using System.Reflection;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner version</c>: this client's version and, when it runs, the server's.</summary>
internal static class VersionCommand
{
    public static string ClientVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create()
    {
        var command = new Command("version", "Show the version of the client and the server");
        CommandAction.Set(command, async (_, cancellationToken) =>
        {
            Console.WriteLine($"Client: {ClientVersion}");
            using var client = new ServerClient();
            try
            {
                var server = await client.GetJsonAsync("version", cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Server: {server?["version"]}");
            }
            catch (ServerException down) when (down.Status is null)
            {
                Console.WriteLine("Server: not running");
            }
        });
        return command;
    }
}
