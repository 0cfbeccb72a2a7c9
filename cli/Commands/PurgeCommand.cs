using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner purge [-f]</c>: deletes every local model; asks first unless forced.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not ask for confirmation" };
        var command = new Command("purge", "Remove every local model") { force };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(force))
            {
                if (Console.IsInputRedirected)
                {
                    throw new ArgumentException("purge deletes every model: confirm with --force");
                }

                Console.Write("This removes every model. Continue? [y/N] ");
                if (Console.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    Console.WriteLine("Nothing removed.");
                    return;
                }
            }

            using var client = new ServerClient();
            var deleted = await client.SendJsonAsync(HttpMethod.Delete, "models/purge", null, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Removed {deleted?.AsArray().Count ?? 0} models.");
        });
        return command;
    }
}
