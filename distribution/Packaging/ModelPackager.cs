using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Store;
using ModelRunner.Distribution.Transfer;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Distribution.Packaging;

/// <summary>
/// Turns GGUF files (and licenses, a chat template, a context size) into a model artifact in the store. Everything
/// is checked before anything is copied: files exist, GGUF headers parse, shards are complete, tags are valid. The
/// files are copied into the store (hashed on the way), so the originals can go afterwards.
/// </summary>
internal sealed partial class ModelPackager(LocalModelStore store, TimeProvider time)
{
    private const long MaxChatTemplateBytes = 1024 * 1024;

    public async Task<LocalModel> PackageAsync(PackageRequest request, TransferReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tags = request.Tags.Select(ParseTag).ToArray();
        if (request.ContextSize is <= 0)
        {
            throw new ArgumentException($"the context size must be positive, not {request.ContextSize}", nameof(request));
        }

        RequireRecordable(request.Format, request.ContextSize);

        var shards = Shards(request.GgufPaths);
        foreach (var shard in shards)
        {
            try
            {
                GgufReader.Read(shard);
            }
            catch (GgufFormatException e)
            {
                throw new ArgumentException($"{shard} is not a valid GGUF file: {e.Message}", nameof(request), e);
            }
        }

        foreach (var license in request.LicensePaths)
        {
            RequireFile(license, "license");
        }

        if (request.MultimodalProjectorPath is { } projector)
        {
            RequireFile(projector, "multimodal projector");
            try
            {
                GgufReader.Read(projector);
            }
            catch (GgufFormatException e)
            {
                throw new ArgumentException($"the multimodal projector {projector} is not a valid GGUF file: {e.Message}", nameof(request), e);
            }
        }

        if (request.ChatTemplatePath is { } template)
        {
            RequireFile(template, "chat template");
            if (new FileInfo(template).Length > MaxChatTemplateBytes)
            {
                throw new ArgumentException($"the chat template {template} is larger than {MaxChatTemplateBytes} bytes", nameof(request));
            }

            try
            {
                new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(await File.ReadAllBytesAsync(template, cancellationToken).ConfigureAwait(false));
            }
            catch (DecoderFallbackException e)
            {
                throw new ArgumentException($"the chat template {template} is not UTF-8 text", nameof(request), e);
            }
        }

        using var pins = store.CreatePins();
        var layers = new List<BlobDescriptor>();
        foreach (var shard in shards)
        {
            layers.Add(await ImportAsync(shard, ModelMediaTypes.Gguf, LayerRole.Gguf, pins, reporter, cancellationToken).ConfigureAwait(false));
        }

        foreach (var license in request.LicensePaths)
        {
            layers.Add(await ImportAsync(license, ModelMediaTypes.License, LayerRole.License, pins, reporter, cancellationToken).ConfigureAwait(false));
        }

        if (request.ChatTemplatePath is { } chatTemplate)
        {
            layers.Add(await ImportAsync(chatTemplate, ModelMediaTypes.ChatTemplate, LayerRole.ChatTemplate, pins, reporter, cancellationToken).ConfigureAwait(false));
        }

        if (request.MultimodalProjectorPath is { } mmproj)
        {
            layers.Add(await ImportAsync(mmproj, ModelMediaTypes.MultimodalProjector, LayerRole.MultimodalProjector, pins, reporter, cancellationToken).ConfigureAwait(false));
        }

        // The config describes the copies in the store, which are what the model id vouches for.
        var config = GgufConfigBuilder.Build([.. layers.Where(l => l.Role == LayerRole.Gguf).Select(l => store.Layout.BlobPath(l.Digest))], request.ContextSize);
        reporter.Status("Writing manifest");
        var what = string.Join(", ", request.Tags.DefaultIfEmpty(Path.GetFileName(shards[0])));
        var model = ArtifactWriter.Write(store, pins, layers, config, request.Created ?? time.GetUtcNow(), tags, what, request.Format);
        reporter.Success($"Packaged {(tags.Length > 0 ? tags[0].FamiliarName : model.ShortId)}", model);
        return model;
    }

    private async Task<BlobDescriptor> ImportAsync(string path, string mediaType, LayerRole role, BlobPins pins, TransferReporter reporter, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        reporter.Status($"Adding {name} ({new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture)} bytes)");
        var (digest, size) = await store.ImportFileAsync(path, pins, null, cancellationToken).ConfigureAwait(false);
        return new BlobDescriptor(digest, size, mediaType, role, name);
    }

    /// <summary>ModelPack's config has no context size: refuse one rather than drop it silently.</summary>
    internal static void RequireRecordable(ArtifactFormat format, int? contextSize)
    {
        if (format == ArtifactFormat.ModelPack && contextSize is not null)
        {
            throw new ArgumentException("a CNCF ModelPack artifact cannot record a context size; package it in the docker format, or configure the context size instead", nameof(contextSize));
        }
    }

    internal static ModelReference ParseTag(string tag)
    {
        var reference = ModelReference.Parse(tag);
        return reference.IsIdOnly || reference.Digest is not null
            ? throw new InvalidReferenceException($"'{tag}' cannot be a tag: it must be a name with an optional :tag, not an id or digest")
            : reference;
    }

    /// <summary>The files to package, in order: as given, or one shard expanded to all of its siblings.</summary>
    private static string[] Shards(IReadOnlyList<string> paths)
    {
        if (paths is null || paths.Count == 0)
        {
            throw new ArgumentException("packaging needs a GGUF file", nameof(paths));
        }

        foreach (var path in paths)
        {
            RequireFile(path, "GGUF");
        }

        if (paths.Count > 1 || ShardPattern().Match(Path.GetFileName(paths[0])) is not { Success: true } match)
        {
            return [.. paths];
        }

        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        var folder = Path.GetDirectoryName(Path.GetFullPath(paths[0]))!;
        var shards = new string[count];
        for (var i = 0; i < count; i++)
        {
            shards[i] = Path.Combine(folder, $"{match.Groups["prefix"].Value}-{i + 1:D5}-of-{match.Groups["count"].Value}.gguf");
            if (!File.Exists(shards[i]))
            {
                throw new FileNotFoundException($"shard {i + 1} of {count} is missing: {shards[i]}", shards[i]);
            }
        }

        return shards;
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the {what} file {path} does not exist", path);
        }
    }

    [GeneratedRegex(@"^(?<prefix>.+)-(?<index>\d{5})-of-(?<count>\d{5})\.gguf\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShardPattern();
}
