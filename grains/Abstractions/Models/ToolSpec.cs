namespace ModelRunner.Grains.Models;

/// <summary>A function the model may call.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Description">What it does, for the model; may be null.</param>
/// <param name="ParametersJson">A JSON Schema of its arguments (an object schema), as JSON text.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.tool-spec")]
public sealed record ToolSpec([property: Id(0)] string Name, [property: Id(1)] string? Description, [property: Id(2)] string ParametersJson);
