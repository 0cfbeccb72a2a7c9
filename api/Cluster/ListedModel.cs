using ModelRunner.Distribution.Artifacts;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Api.Cluster;

/// <summary>A model in some node's store, as listings show it: what it is, not where its files are.</summary>
internal sealed record ListedModel(string Id, IReadOnlyList<string> Tags, DateTimeOffset Created, long Size, ModelConfig Config)
{
    /// <summary>The first 12 hex digits of the id, as <c>docker model ls</c> shows it.</summary>
    public string ShortId => Id.Substring(7, 12);

    public static ListedModel From(LocalModel model) => new(model.Id, model.Tags, model.Created, model.Size, model.Config);
}
