namespace ModelRunner.Grains.Models;

/// <summary>
/// The keys of a model's grains: replica 0 is keyed by the model id alone (the only one unless
/// <c>configure --replicas N</c> asks for more), replica r by <c>id#r</c>. The placement
/// director keeps a model's replicas on distinct nodes.
/// </summary>
public static class ModelReplicas
{
    private const char Separator = '#';

    public static string Key(string modelId, int replica) =>
        replica == 0 ? modelId : $"{modelId}{Separator}{replica}";

    /// <summary>The model id of a model grain's key.</summary>
    public static string ModelIdOf(string key) =>
        key.IndexOf(Separator, StringComparison.Ordinal) is var at and >= 0 ? key[..at] : key;
}
