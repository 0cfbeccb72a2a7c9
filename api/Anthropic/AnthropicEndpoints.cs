using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelRunner.Api.Anthropic;

/// <summary>The Anthropic-compatible API under <c>/anthropic/v1</c> and <c>/v1</c>.</summary>
public static class AnthropicEndpoints
{
    public static IServiceCollection AddAnthropicApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAnthropicEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/anthropic/v1", "/v1" })
        {
            var group = routes.MapGroup(prefix);
            group.MapPost("/messages", MessagesEndpoint.HandleAsync);
            group.MapPost("/messages/count_tokens", MessagesEndpoint.CountTokensAsync);
        }

        return routes;
    }
}
