using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A chunk of a streamed chat completion; with <c>include_usage</c>, a last chunk has no choices and the usage.</summary>
public sealed record ChatChunk(string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices, Usage? Usage = null, Timings? Timings = null)
{
    public string Object => "chat.completion.chunk";

    public string SystemFingerprint => ModelRunner.Api.OpenAi.OpenAiIds.Fingerprint;
}
