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
            using var client = new ServerClient();
            var tagged = await TagAsync(client, parse.GetValue(source)!, parse.GetValue(target)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Tagged {parse.GetValue(source)} as {tagged}");
        });
        return command;
    }

    /// <summary>Tags the server's model <paramref name="source"/> as <paramref name="target"/>; returns the tag in full (<c>repository:tag</c>).</summary>
    public static async Task<string> TagAsync(ServerClient client, string source, string target, CancellationToken cancellationToken)
    {
        // The tag is what follows the last colon after the last slash (a registry port is not a tag).
        var colon = target.LastIndexOf(':');
        var (repository, tag) = colon > target.LastIndexOf('/') ? (target[..colon], target[(colon + 1)..]) : (target, "latest");
        await client.SendTextAsync(HttpMethod.Post, $"models/{source}/tag?repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}", null, cancellationToken).ConfigureAwait(false);
        return $"{repository}:{tag}";
    }
}
