using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.Dmr;

/// <summary>The Dmr API family: its services and routes.</summary>
public static class DmrEndpoints
{
    /// <summary>Registers what the family's endpoints use (its JSON context, stores).</summary>
    public static IServiceCollection AddDmrApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapDmrEndpoints(this IEndpointRouteBuilder routes) => routes;

    /// <summary>Middleware that runs before every route (request recording, X-Preload-Only).</summary>
    public static IApplicationBuilder UseDmrPipeline(this IApplicationBuilder app) => app;
}
