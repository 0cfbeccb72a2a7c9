using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.Anthropic;

/// <summary>The Anthropic API family: its services and routes.</summary>
public static class AnthropicEndpoints
{
    /// <summary>Registers what the family's endpoints use (its JSON context, stores).</summary>
    public static IServiceCollection AddAnthropicApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAnthropicEndpoints(this IEndpointRouteBuilder routes) => routes;
}
