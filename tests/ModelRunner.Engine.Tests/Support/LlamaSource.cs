using System.Reflection;

namespace ModelRunner.Engine.Tests.Support;

/// <summary>The llama.cpp source (headers, vocabularies) that eng/fetch-llama.sh laid out for this build.</summary>
internal static class LlamaSource
{
    public static string Directory { get; } = typeof(LlamaSource).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "LlamaSourceDirectory").Value
        ?? throw new InvalidOperationException("the test assembly does not record where llama.cpp's source is");
}
