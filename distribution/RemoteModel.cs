using ModelRunner.Distribution.Artifacts;

namespace ModelRunner.Distribution;

/// <summary>A model as a registry describes it, without pulling it (<c>inspect --remote</c>, <c>GET /models/{name}?remote=true</c>).</summary>
/// <param name="Reference">The reference in familiar form.</param>
/// <param name="Id">The manifest digest: the id the model will have once pulled.</param>
/// <param name="Config">Its config.</param>
/// <param name="Created">When it was built, if its config says.</param>
/// <param name="Size">The bytes of all its blobs.</param>
/// <param name="Format">Its media-type family.</param>
public sealed record RemoteModel(string Reference, string Id, ModelConfig Config, DateTimeOffset? Created, long Size, ArtifactFormat Format);
