using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner package --gguf FILE [--license F]… [--chat-template F] [--context-size N] [--push] TARGET</c>:
/// the server packages the files into its store under TARGET (and pushes it with <c>--push</c>).
/// </summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var gguf = new Option<FileInfo[]>("--gguf") { Description = "The GGUF file (the first shard of a split model)", Required = true, AllowMultipleArgumentsPerToken = true };
        var licenses = new Option<FileInfo[]>("--license", "-l") { Description = "A license file to include (repeatable)" };
        var template = new Option<FileInfo?>("--chat-template") { Description = "A Jinja chat template to use instead of the GGUF's" };
        var context = new Option<int?>("--context-size") { Description = "The default context size in tokens" };
        var push = new Option<bool>("--push") { Description = "Push to the registry TARGET names after packaging" };
        var target = new Argument<string>("TARGET") { Description = "The model's name, [registry/]repository[:tag]" };
        var command = new Command("package", "Package GGUF files as a model") { gguf, licenses, template, context, push, target };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            static string Existing(FileInfo file) => file.Exists ? file.FullName : throw new FileNotFoundException($"no such file: {file.FullName}");
            var body = new JsonObject
            {
                ["gguf"] = new JsonArray([.. parse.GetValue(gguf)!.Select(file => JsonValue.Create(Existing(file)))]),
                ["licenses"] = new JsonArray([.. (parse.GetValue(licenses) ?? []).Select(file => JsonValue.Create(Existing(file)))]),
                ["chat_template"] = parse.GetValue(template) is { } file ? Existing(file) : null,
                ["context_size"] = parse.GetValue(context),
                ["tag"] = parse.GetValue(target),
            };
            using var client = new ServerClient();
            var packaged = await client.SendJsonAsync(HttpMethod.Post, "models/package", body, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Packaged {parse.GetValue(target)} ({packaged?["id"]})");
            if (parse.GetValue(push))
            {
                Console.WriteLine(await TransferProgress.ShowAsync(client.StreamLinesAsync(HttpMethod.Post, $"models/{parse.GetValue(target)}/push", null, cancellationToken)).ConfigureAwait(false));
            }
        });
        return command;
    }
}
