using System.Text.Json.Serialization;

namespace ModelRunner.Distribution.Registry;

/// <summary>A token service's answer (Docker's token authentication spec): the token under either name, and its lifetime.</summary>
internal sealed record TokenResponse
{
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }
}
