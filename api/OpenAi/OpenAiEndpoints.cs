using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.OpenAi;

/// <summary>The OpenAi API family: its services and routes.</summary>
public static class OpenAiEndpoints
{
    /// <summary>Registers what the family's endpoints use (its JSON context, stores).</summary>
    public static IServiceCollection AddOpenAiApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder routes) => routes;
}
