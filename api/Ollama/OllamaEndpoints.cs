using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelRunner.Api.Hosting;
using ModelRunner.Api.Ollama.Contracts;

namespace ModelRunner.Api.Ollama;

/// <summary>The Ollama-compatible API under <c>/api</c>.</summary>
public static class OllamaEndpoints
{
    /// <summary>The Ollama version clients see; recent enough for the features they check for (tools, structured output).</summary>
    public const string Version = "0.11.4";

    /// <summary>Registers the store of uploaded blobs (<c>/api/blobs</c>), under the server's home.</summary>
    public static IServiceCollection AddOllamaApi(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new OllamaBlobs(Path.Combine(provider.GetRequiredService<ServerOptions>().Home, "ollama-blobs")));
        return services;
    }

    public static IEndpointRouteBuilder MapOllamaEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/version", () => Results.Json(new VersionResponse(Version), OllamaJsonContext.Default.VersionResponse));
        api.MapGet("/tags", ModelsEndpoints.TagsAsync);
        api.MapGet("/ps", ModelsEndpoints.PsAsync);
        api.MapPost("/show", ModelsEndpoints.ShowAsync);
        api.MapDelete("/delete", ModelsEndpoints.DeleteAsync);
        api.MapPost("/chat", ChatEndpoint.HandleAsync);
        api.MapPost("/generate", GenerateEndpoint.HandleAsync);
        api.MapPost("/embed", EmbedEndpoints.EmbedAsync);
        api.MapPost("/embeddings", EmbedEndpoints.EmbeddingsAsync);
        api.MapPost("/pull", PullEndpoint.HandleAsync);
        api.MapPost("/push", PushEndpoint.HandleAsync);
        api.MapPost("/create", CreateEndpoint.HandleAsync);
        api.MapPost("/copy", ModelsEndpoints.CopyAsync);
        api.MapMethods("/blobs/{digest}", [HttpMethods.Head], BlobsEndpoints.Head);
        api.MapPost("/blobs/{digest}", BlobsEndpoints.PostAsync);
        return routes;
    }
}
