using Microsoft.AspNetCore.Http;

namespace ModelRunner.Api.Errors;

/// <summary>Maps paths to families.</summary>
public static class ApiFamilies
{
    public static ApiFamily Of(PathString path) =>
        path.StartsWithSegments("/anthropic") || path.StartsWithSegments("/v1/messages") ? ApiFamily.Anthropic
        : path.StartsWithSegments("/api") ? ApiFamily.Ollama
        : path.StartsWithSegments("/v1") || Rerank.RerankEndpoints.Serves(path) || path.StartsWithSegments("/engines/v1") || path.StartsWithSegments("/engines/llama.cpp/v1")
            || path.StartsWithSegments("/engines/diffusers") ? ApiFamily.OpenAi
        : ApiFamily.Dmr;
}
