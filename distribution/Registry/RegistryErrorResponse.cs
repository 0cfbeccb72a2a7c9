namespace ModelRunner.Distribution.Registry;

/// <summary>The OCI error body: <c>{"errors":[{"code","message"}]}</c>.</summary>
internal sealed record RegistryErrorResponse
{
    public IReadOnlyList<RegistryError>? Errors { get; init; }
}
