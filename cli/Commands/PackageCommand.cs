using System.CommandLine;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner package (--gguf FILE | --from MODEL) [--license F]… [--mmproj F] [--chat-template F]
/// [--context-size N] [--format docker|cncf] [--push] TARGET</c>, as DMR parses it: every flag takes one value
/// (repeat <c>--license</c> for more). The artifact is built here, in a staging store, then loaded into the
/// server's store (<c>POST /models/load</c>, then tagged), or with <c>--push</c> pushed from here to the registry
/// TARGET names instead. <c>--from</c> without <c>--push</c> asks the server to repackage, which copies nothing.
/// </summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var gguf = new Option<FileInfo?>("--gguf") { Description = "The GGUF file (the first shard of a split model brings the others)" };
        var from = new Option<string?>("--from") { Description = "An existing model to repackage, e.g. with another --context-size" };
        var licenses = new Option<FileInfo[]>("--license", "-l") { Description = "A license file to include (repeat the flag for more)" };
        var mmproj = new Option<FileInfo?>("--mmproj") { Description = "A multimodal projector (GGUF) to include" };
        var template = new Option<FileInfo?>("--chat-template") { Description = "A Jinja chat template to use instead of the GGUF's" };
        var context = new Option<int?>("--context-size") { Description = "The model's default context size in tokens" };
        var format = new Option<string?>("--format") { Description = "Artifact format: docker (default) or cncf (CNCF ModelPack)" };
        format.AcceptOnlyFromAmong("docker", "cncf");
        var push = new Option<bool>("--push") { Description = "Push to the registry TARGET names instead of loading into the local store" };
        var target = new Argument<string>("TARGET") { Description = "The model's name, [registry/]repository[:tag]" };
        var command = new Command("package", "Package a GGUF file, or repackage a model, as an OCI model artifact")
        {
            gguf, from, licenses, mmproj, template, context, format, push, target,
        };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(gguf);
            var source = parse.GetValue(from);
            if (file is null == source is null)
            {
                throw new ArgumentException(file is null
                    ? "package needs --gguf FILE (a new package) or --from MODEL (a variant of a model)"
                    : "--gguf and --from cannot be used together: package a file, or repackage a model");
            }

            var licenseFiles = parse.GetValue(licenses) ?? [];
            if (source is not null && (licenseFiles.Length > 0 || parse.GetValue(mmproj) is not null))
            {
                throw new ArgumentException("--license and --mmproj add files to a new package (--gguf); --from keeps the model's own");
            }

            var name = parse.GetValue(target)!;
            var contextSize = parse.GetValue(context);
            if (contextSize is <= 0)
            {
                throw new ArgumentException($"--context-size must be a positive number of tokens, not {contextSize}");
            }

            ArtifactFormat? artifactFormat = parse.GetValue(format) switch
            {
                "cncf" => ArtifactFormat.ModelPack,
                "docker" => ArtifactFormat.Docker,
                _ => null,
            };
            var templateText = parse.GetValue(template) is { } templateFile ? await File.ReadAllTextAsync(Existing(templateFile), cancellationToken).ConfigureAwait(false) : null;

            using var client = new ServerClient();
            if (source is not null && !parse.GetValue(push))
            {
                var body = new JsonObject { ["target"] = name, ["context_size"] = contextSize, ["chat_template"] = templateText, ["format"] = parse.GetValue(format) };
                var answer = await client.SendJsonAsync(HttpMethod.Post, $"models/{source}/repackage", body, cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Repackaged {source} as {name} ({Short(answer?["id"]?.GetValue<string>())})");
                return;
            }

            using var staging = StagingStore.Create();
            LocalModel model;
            if (file is not null)
            {
                model = await staging.Distribution.PackageAsync(
                    new PackageRequest
                    {
                        GgufPaths = [Existing(file)],
                        LicensePaths = [.. licenseFiles.Select(Existing)],
                        MultimodalProjectorPath = parse.GetValue(mmproj) is { } projector ? Existing(projector) : null,
                        ChatTemplatePath = parse.GetValue(template)?.FullName,
                        ContextSize = contextSize,
                        Format = artifactFormat ?? ArtifactFormat.Docker,
                        Tags = [name],
                    },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A variant to push: the model comes from the server whole, and its variant goes from here.
                using var export = await client.GetResponseAsync($"models/{source}/export", cancellationToken).ConfigureAwait(false);
                var archive = await export.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (archive.ConfigureAwait(false))
                {
                    var original = await staging.Distribution.LoadAsync(archive, cancellationToken: cancellationToken).ConfigureAwait(false);
                    var request = new RepackageRequest { Tags = [name], ContextSize = contextSize, ChatTemplate = templateText, Format = artifactFormat };
                    model = await staging.Distribution.RepackageAsync(original.Id, request, cancellationToken).ConfigureAwait(false);
                }
            }

            if (parse.GetValue(push))
            {
                var pushed = await TransferProgress.ShowAsync(TransferLines.FromAsync(staging.Distribution.PushAsync(name, cancellationToken: cancellationToken), cancellationToken)).ConfigureAwait(false);
                Console.WriteLine(pushed.Length > 0 ? pushed : $"Pushed {name}");
                return;
            }

            using var content = new ModelArchiveContent(staging.Distribution, model.Id);
            await client.SendContentAsync(HttpMethod.Post, "models/load", content, cancellationToken).ConfigureAwait(false);
            var tagged = await TagCommand.TagAsync(client, model.Id, name, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Packaged {tagged} ({model.ShortId})");
        });
        return command;
    }

    private static string Existing(FileInfo file) => file.Exists ? file.FullName : throw new FileNotFoundException($"no such file: {file.FullName}");

    private static string Short(string? id) => id is { Length: > 19 } ? id[7..19] : id ?? "";
}
