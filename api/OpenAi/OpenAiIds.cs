namespace ModelRunner.Api.OpenAi;

/// <summary>Ids and timestamps as OpenAI writes them.</summary>
internal static class OpenAiIds
{
    /// <summary>Names the backend in <c>system_fingerprint</c>, as llama-server does.</summary>
    public const string Fingerprint = "modelrunner-llama.cpp";

    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
