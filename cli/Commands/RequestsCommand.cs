using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner requests [-f] [--model M]</c>: recent inference requests, one JSON line each.</summary>
internal static class RequestsCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new requests" };
        var model = new Option<string?>("--model") { Description = "Only this model's requests" };
        var command = new Command("requests", "Show recent inference requests") { follow, model };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = new ServerClient();
            var path = parse.GetValue(model) is { } name ? $"engines/requests?model={Uri.EscapeDataString(name)}" : "engines/requests";
            if (parse.GetValue(follow))
            {
                await foreach (var line in client.StreamLinesAsync(HttpMethod.Get, path, null, cancellationToken, new Dictionary<string, string> { ["Accept"] = "text/event-stream" }).ConfigureAwait(false))
                {
                    Console.WriteLine(line);
                }

                return;
            }

            foreach (var record in (await client.GetJsonAsync(path, cancellationToken).ConfigureAwait(false))?.AsArray() ?? [])
            {
                Console.WriteLine(record?.ToJsonString());
            }
        });
        return command;
    }
}
