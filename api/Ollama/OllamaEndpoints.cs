using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.Ollama;

/// <summary>The Ollama API family: its services and routes.</summary>
public static class OllamaEndpoints
{
    /// <summary>Registers what the family's endpoints use (its JSON context, stores).</summary>
    public static IServiceCollection AddOllamaApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOllamaEndpoints(this IEndpointRouteBuilder routes) => routes;
}
