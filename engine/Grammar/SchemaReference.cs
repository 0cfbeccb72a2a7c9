namespace ModelRunner.Engine.Grammar;

/// <summary>
/// A resolved <c>$ref</c>. The target is set after the referring node exists, because a reference may
/// point back at a schema that is still being compiled (recursive schemas such as trees).
/// </summary>
internal sealed class SchemaReference(string keyword, string targetPointer)
{
    private SchemaNode? _target;

    /// <summary>The keyword that made the reference: <c>$ref</c>, or <c>allOf</c> with a single schema.</summary>
    public string Keyword { get; } = keyword;

    /// <summary>The JSON Pointer of the target within the whole schema.</summary>
    public string TargetPointer { get; } = targetPointer;

    public SchemaNode Target
    {
        get => _target ?? throw new InvalidOperationException($"the reference to #{TargetPointer} was never resolved");
        set => _target = value;
    }
}
