using System.CommandLine;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner tag SOURCE TARGET</c>: gives a local model another name.</summary>
internal static class TagCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "A local model" };
        var target = new Argument<string>("TARGET") { Description = "Its new name, [registry/]repository[:tag]" };
        var command = new Command("tag", "Tag a model with another name") { source, target };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(target)!;
            // The tag is what follows the last colon after the last slash (a registry port is not a tag).
            var colon = name.LastIndexOf(':');
            var (repository, tag) = colon > name.LastIndexOf('/') ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
            using var client = new ServerClient();
            await client.SendTextAsync(HttpMethod.Post, $"models/{parse.GetValue(source)}/tag?repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}", null, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Tagged {parse.GetValue(source)} as {repository}:{tag}");
        });
        return command;
    }
}
