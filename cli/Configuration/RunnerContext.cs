using System.Text.Json.Serialization;

namespace ModelRunner.Cli.Configuration;

/// <summary>A named Model Runner to talk to (<c>context create NAME --host URL</c>), as kept in <c>config.json</c>.</summary>
internal sealed record RunnerContext
{
    /// <summary>The API's base URL, e.g. <c>http://192.168.1.100:12434</c>; https when <see cref="Tls"/>.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Connect with TLS (the host's scheme is https).</summary>
    [JsonPropertyName("tls")]
    public bool Tls { get; init; }

    /// <summary>A PEM file with the CA certificate that signed the server's, for a private CA.</summary>
    [JsonPropertyName("tls_ca_cert")]
    public string? TlsCaCert { get; init; }

    /// <summary>Accept any server certificate (testing only).</summary>
    [JsonPropertyName("tls_skip_verify")]
    public bool TlsSkipVerify { get; init; }
}
