namespace ModelRunner.Api.Tests.Fuzzing;

/// <summary>The names one fuzzed request uses: a model (real or hostile) and an id (of a conversation, response or blob).</summary>
/// <param name="Model">A model reference, real or hostile.</param>
/// <param name="Id">An id, real-looking or hostile.</param>
internal sealed record FuzzNames(string Model, string Id);
