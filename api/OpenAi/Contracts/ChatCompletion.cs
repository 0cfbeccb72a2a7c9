using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A whole chat completion (<c>stream: false</c>).</summary>
public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage, Timings Timings)
{
    public string Object => "chat.completion";

    public string SystemFingerprint => ModelRunner.Api.OpenAi.OpenAiIds.Fingerprint;
}
