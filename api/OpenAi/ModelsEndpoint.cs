using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Cluster;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Distribution;

namespace ModelRunner.Api.OpenAi;

/// <summary><c>GET /models</c> (every tag of every model in the cluster, or on this node when alone) and <c>GET /models/{name}</c>.</summary>
internal static class ModelsEndpoint
{
    public static async Task<IResult> ListAsync(ClusterCatalog catalog, CancellationToken cancellationToken) =>
        Results.Json(new ModelList([.. (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).SelectMany(Entries)]), OpenAiJsonContext.Default.ModelList);

    public static IResult Get(string name, IModelDistribution distribution)
    {
        // Clients escape the slash of a namespaced name (ai%2Fsmollm2); routing leaves %2F as it is.
        name = Uri.UnescapeDataString(name);
        var model = distribution.Store.Find(name) ?? throw ApiException.NotFound($"model '{name}' not found", "model");
        var tag = model.Tags.FirstOrDefault(tag => tag == name || tag.StartsWith(name + ":", StringComparison.Ordinal) || tag.EndsWith("/" + name, StringComparison.Ordinal)) ?? (model.Tags.Count > 0 ? model.Tags[0] : model.Id);
        return Results.Json(new ModelEntry(tag, model.Created.ToUnixTimeSeconds(), Owner(tag)), OpenAiJsonContext.Default.ModelEntry);
    }

    private static IEnumerable<ModelEntry> Entries(ListedModel model) =>
        (model.Tags.Count > 0 ? model.Tags : [model.Id]).Select(tag => new ModelEntry(tag, model.Created.ToUnixTimeSeconds(), Owner(tag)));

    /// <summary>The namespace of the name (<c>ai</c> for <c>ai/smollm2</c>), as DMR reports it.</summary>
    private static string Owner(string tag) => tag.Contains('/', StringComparison.Ordinal) ? tag[..tag.LastIndexOf('/')] : "library";
}
