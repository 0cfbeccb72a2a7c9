using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A text completion, whole or (one per chunk) streamed.</summary>
public sealed record Completion(string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, Usage? Usage = null, Timings? Timings = null)
{
    public string Object => "text_completion";

    public string SystemFingerprint => ModelRunner.Api.OpenAi.OpenAiIds.Fingerprint;
}
