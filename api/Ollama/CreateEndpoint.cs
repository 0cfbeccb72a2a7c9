using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Ollama.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Packaging;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// <c>POST /api/create</c>: a model from a stored model (<c>from</c>, or a Modelfile's <c>FROM name</c>) or from
/// GGUF blobs (<c>files</c>, or <c>FROM sha256:…</c>: uploaded with <c>/api/blobs</c>, or layers of stored models),
/// with a context size (<c>parameters.num_ctx</c>, <c>PARAMETER num_ctx</c>) and licenses. What this engine cannot
/// keep with a model (a Go template, a system prompt, sampling parameters, adapters, quantization) is refused with a
/// 400 naming it rather than dropped. Status lines as Ollama streams them, ending with <c>success</c>.
/// </summary>
internal static class CreateEndpoint
{
    private static readonly string[] Unsupported = ["template", "system", "messages", "adapters", "quantize"];

    public static async Task HandleAsync(HttpContext context, IModelDistribution distribution, OllamaBlobs blobs)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var target = body.String("model") ?? body.String("name") ?? throw ApiException.Invalid("'model' is required", "model");
        var plan = Plan(body);

        LocalModel? source = null;
        LocalModel created;
        if (plan.From is { } from)
        {
            source = distribution.Store.Find(from) ?? throw ApiException.NotFound($"model '{from}' not found; pull it first", "from");
            var request = new RepackageRequest { Tags = [target], ContextSize = plan.ContextSize, Licenses = plan.Licenses };
            created = await distribution.RepackageAsync(source.Id, request, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            created = await FromFilesAsync(target, plan, distribution, blobs, context.RequestAborted).ConfigureAwait(false);
        }

        var reused = source is null ? [] : LayerDigests(distribution, source.Id).ToHashSet(StringComparer.Ordinal);
        var statuses = new List<PullStatus> { new("reading model metadata") };
        statuses.AddRange(LayerDigests(distribution, created.Id).Select(digest => new PullStatus(reused.Contains(digest) ? $"using already created layer {digest}" : $"writing layer {digest}")));
        statuses.Add(new PullStatus("writing manifest"));
        statuses.Add(new PullStatus("success"));

        if (!OllamaRequestReader.Streams(body))
        {
            await Results.Json(statuses[^1], OllamaJsonContext.Default.PullStatus).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var stream = await EventStream.StartNdjsonAsync(context).ConfigureAwait(false);
        foreach (var status in statuses)
        {
            await stream.LineAsync(JsonSerializer.Serialize(status, OllamaJsonContext.Default.PullStatus)).ConfigureAwait(false);
        }
    }

    /// <summary>What to build, from the JSON fields and the Modelfile (its instructions win where both say something).</summary>
    private static CreatePlan Plan(RequestFields body)
    {
        foreach (var field in Unsupported)
        {
            if (body.Has(field))
            {
                throw ApiException.Invalid($"'{field}' is not supported by this runner's /api/create (it keeps a model's weights, licenses and context size)", field);
            }
        }

        var from = body.String("from");
        var files = new List<(string Name, string Digest)>();
        if (body.Fields("files") is { } fileFields)
        {
            foreach (var property in fileFields.Json.EnumerateObject())
            {
                files.Add((property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw ApiException.Invalid($"'files.{property.Name}' must be a digest string", "files")));
            }
        }

        var licenses = body.Element("license") switch
        {
            null => new List<string>(),
            { ValueKind: JsonValueKind.String } one => [one.GetString()!],
            _ => [.. body.Strings("license") ?? []],
        };
        int? contextSize = body.Fields("parameters") is { } parameters ? Parameters(parameters) : null;

        if (body.String("modelfile") is { } text)
        {
            foreach (var instruction in Modelfile.Parse(text))
            {
                switch (instruction.Name)
                {
                    case "FROM" when IsDigest(instruction.Value):
                        files.Add(("model.gguf", instruction.Value.TrimStart('@')));
                        break;
                    case "FROM":
                        from = instruction.Value;
                        break;
                    case "LICENSE":
                        licenses.Add(instruction.Value);
                        break;
                    case "PARAMETER":
                        var parts = instruction.Value.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (parts is not ["num_ctx", var value] || !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size <= 0)
                        {
                            throw ApiException.Invalid($"'PARAMETER {instruction.Value}': only num_ctx (a positive number) is kept with a model here; send sampling settings with each request's options", "modelfile");
                        }

                        contextSize = size;
                        break;
                    default:
                        throw ApiException.Invalid($"'{instruction.Name}' is not supported by this runner's /api/create (FROM, PARAMETER num_ctx and LICENSE are)", "modelfile");
                }
            }
        }

        if (from is null == (files.Count == 0))
        {
            throw ApiException.Invalid(from is null
                ? "'from' (a model), 'files' (GGUF blobs) or a modelfile with FROM is required"
                : "'from' and 'files' cannot be combined: create from a model, or from GGUF files", from is null ? "from" : "files");
        }

        return new CreatePlan(from, files, licenses, contextSize);
    }

    private static int? Parameters(RequestFields parameters)
    {
        foreach (var property in parameters.Json.EnumerateObject())
        {
            if (property.Name != "num_ctx")
            {
                throw ApiException.Invalid($"'parameters.{property.Name}' is not kept with a model here (only num_ctx is); send it with each request's options", "parameters");
            }
        }

        return parameters.Int("num_ctx", 1);
    }

    private static async Task<LocalModel> FromFilesAsync(string target, CreatePlan plan, IModelDistribution distribution, OllamaBlobs blobs, CancellationToken cancellationToken)
    {
        // The layers take the names the client gave: links to the blobs, under those names, in a folder of their own.
        var staging = Directory.CreateDirectory(Path.Combine(blobs.Folder, "create-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var ggufs = new List<string>();
            foreach (var (name, digest) in plan.Files)
            {
                if (name != Path.GetFileName(name) || !name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
                {
                    throw ApiException.Invalid($"'files.{name}': only GGUF files (a plain name ending in .gguf) can make a model here", "files");
                }

                var blob = blobs.Find(digest)
                    ?? (OciDigest.TryParse(digest, out var parsed) ? distribution.Store.FindBlobPath(parsed) : null)
                    ?? throw ApiException.Invalid($"blob {digest} is not on this server; upload it first with POST /api/blobs/{digest}", "files");
                var link = Path.Combine(staging, name);
                File.CreateSymbolicLink(link, blob);
                ggufs.Add(link);
            }

            var licenses = new List<string>();
            foreach (var (license, i) in plan.Licenses.Select((text, i) => (text, i)))
            {
                var path = Path.Combine(staging, i == 0 ? "LICENSE" : $"LICENSE-{i + 1}");
                await File.WriteAllTextAsync(path, license, cancellationToken).ConfigureAwait(false);
                licenses.Add(path);
            }

            var request = new PackageRequest { GgufPaths = ggufs, LicensePaths = licenses, ContextSize = plan.ContextSize, Tags = [target] };
            return await distribution.PackageAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static IEnumerable<string> LayerDigests(IModelDistribution distribution, string id)
    {
        var manifest = distribution.Store.FindManifest(id);
        if (manifest is null)
        {
            yield break;
        }

        using var document = JsonDocument.Parse(manifest.Content);
        foreach (var layer in document.RootElement.GetProperty("layers").EnumerateArray())
        {
            yield return layer.GetProperty("digest").GetString()!;
        }

        yield return document.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
    }

    private static bool IsDigest(string value) => value.TrimStart('@').StartsWith("sha256:", StringComparison.Ordinal);
}
