using System.Text.Json.Nodes;

namespace ModelRunner.Api.Tests.Fuzzing;

/// <summary>
/// A route of the server and a valid request for it, which the fuzzer then breaks.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path; <c>{model}</c> and <c>{id}</c> are filled in per request.</param>
/// <param name="Body">Builds a valid body from the names to use; null for a route without one.</param>
/// <param name="Destructive">
/// Whether a valid request would change what other requests rely on (delete, configure, tag, pull
/// from the internet): such a route only ever gets names that cannot exist or cannot be valid.
/// </param>
/// <param name="LengthField">The field that bounds a generation (<c>num_predict</c> inside Ollama's <c>options</c>), for a route that generates.</param>
internal sealed record FuzzRoute(string Method, string Path, Func<FuzzNames, JsonObject>? Body = null, bool Destructive = false, string? LengthField = null);
