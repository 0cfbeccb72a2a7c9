using System.Text;
using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution.Packaging;

/// <summary>
/// Makes a variant of a stored model: a new config (context size) and manifest over the same layer blobs, with an
/// optional new chat template layer, in either artifact format. Nothing large is copied.
/// </summary>
internal sealed class ModelRepackager(LocalModelStore store)
{
    private const int MaxChatTemplateBytes = 1024 * 1024;

    public LocalModel Repackage(string source, RepackageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tags = request.Tags.Select(ModelPackager.ParseTag).ToArray();
        if (tags.Length == 0)
        {
            throw new ArgumentException("repackaging needs a target name", nameof(request));
        }

        if (request.ContextSize is <= 0)
        {
            throw new ArgumentException($"the context size must be positive, not {request.ContextSize}", nameof(request));
        }

        var model = store.Find(source) ?? throw new ModelNotFoundException($"model '{source}' is not in the local store; pull it first", remote: false);
        var format = request.Format ?? model.Format;
        ModelPackager.RequireRecordable(format, request.ContextSize);
        var manifest = store.FindManifest(model.Id) ?? throw new ModelNotFoundException($"model '{source}' was removed meanwhile", remote: false);
        var artifact = ModelArtifact.Parse(manifest.Content.Span, source);

        using var pins = store.CreatePins();
        foreach (var blob in artifact.Layers)
        {
            pins.Add(blob.Digest);
        }

        // Pinned now, the blobs cannot go; a removal that got in before the pins leaves some missing.
        if (artifact.Layers.FirstOrDefault(l => !store.HasBlob(l.Digest, l.Size)) is { } missing)
        {
            throw new ModelNotFoundException($"model '{source}' was removed while it was being repackaged (blob {missing.Digest.ShortId} is gone)", remote: false);
        }

        var layers = artifact.Layers.Select(l => format == ArtifactFormat.Docker ? ArtifactWriter.ForDocker(l) : l).ToList();
        if (request.ChatTemplate is { } template)
        {
            var bytes = Encoding.UTF8.GetBytes(template);
            if (bytes.Length > MaxChatTemplateBytes)
            {
                throw new ArgumentException($"the chat template is {bytes.Length} bytes; at most {MaxChatTemplateBytes} are accepted", nameof(request));
            }

            var digest = store.WriteBlob(bytes, pins);
            layers.RemoveAll(l => l.Role == LayerRole.ChatTemplate);
            layers.Add(new BlobDescriptor(digest, bytes.Length, ModelMediaTypes.ChatTemplate, LayerRole.ChatTemplate, "template.jinja"));
        }

        var licenseCount = layers.Count(l => l.Role == LayerRole.License);
        foreach (var license in request.Licenses)
        {
            var bytes = Encoding.UTF8.GetBytes(license);
            var digest = store.WriteBlob(bytes, pins);
            var name = ++licenseCount == 1 ? "LICENSE" : $"LICENSE-{licenseCount}";
            var at = layers.FindLastIndex(l => l.Role is LayerRole.Gguf or LayerRole.License) + 1;
            layers.Insert(at, new BlobDescriptor(digest, bytes.Length, format == ArtifactFormat.Docker ? ModelMediaTypes.License : ModelMediaTypes.ModelPackDocRaw, LayerRole.License, name));
        }

        var config = format == ArtifactFormat.Docker && request.ContextSize is { } contextSize ? model.Config with { ContextSize = contextSize } : model.Config;
        return ArtifactWriter.Write(store, pins, layers, config, request.Created ?? model.Created, tags, string.Join(", ", request.Tags), format);
    }
}
