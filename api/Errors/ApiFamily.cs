namespace ModelRunner.Api.Errors;

/// <summary>The API family a path belongs to, which decides the shape of its errors.</summary>
public enum ApiFamily
{
    OpenAi,
    Anthropic,
    Ollama,
    Dmr,
}
