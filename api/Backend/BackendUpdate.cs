using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Backend;

/// <summary>
/// One step of a streamed answer: new text (or nothing while a tool call is being written), new
/// thinking of a reasoning model (always streamed before the answer's text), and on the last
/// update the <see cref="Result"/>.
/// </summary>
public sealed record BackendUpdate(string Text, IReadOnlyList<TokenProbability>? Logprobs = null, BackendResult? Result = null, string Reasoning = "");
