using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Ollama.Contracts;

namespace ModelRunner.Api.Ollama;

/// <summary>The Ollama-compatible API under <c>/api</c>.</summary>
public static class OllamaEndpoints
{
    /// <summary>The Ollama version clients see; recent enough for the features they check for (tools, structured output).</summary>
    public const string Version = "0.11.4";

    public static IServiceCollection AddOllamaApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOllamaEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/version", () => Results.Json(new VersionResponse(Version), OllamaJsonContext.Default.VersionResponse));
        api.MapGet("/tags", ModelsEndpoints.Tags);
        api.MapGet("/ps", ModelsEndpoints.PsAsync);
        api.MapPost("/show", ModelsEndpoints.ShowAsync);
        api.MapDelete("/delete", ModelsEndpoints.DeleteAsync);
        api.MapPost("/chat", ChatEndpoint.HandleAsync);
        api.MapPost("/generate", GenerateEndpoint.HandleAsync);
        api.MapPost("/embed", EmbedEndpoints.EmbedAsync);
        api.MapPost("/embeddings", EmbedEndpoints.EmbeddingsAsync);
        api.MapPost("/pull", PullEndpoint.HandleAsync);
        return routes;
    }
}
