namespace ModelRunner.Distribution.Registry;

/// <summary>One error of an OCI error body.</summary>
internal sealed record RegistryError
{
    public string? Code { get; init; }

    public string? Message { get; init; }
}
