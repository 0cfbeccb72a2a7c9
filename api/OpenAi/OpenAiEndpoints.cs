using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.OpenAi;

/// <summary>The OpenAI-compatible API under <c>/engines/v1</c>, <c>/engines/llama.cpp/v1</c> and <c>/v1</c>.</summary>
public static class OpenAiEndpoints
{
    public static readonly string[] Prefixes = ["/v1", "/engines/v1", "/engines/llama.cpp/v1"];

    /// <summary>Registers what the family's endpoints use.</summary>
    public static IServiceCollection AddOpenAiApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in Prefixes)
        {
            var group = routes.MapGroup(prefix);
            group.MapGet("/models", ModelsEndpoint.ListAsync);
            group.MapGet("/models/{**name}", ModelsEndpoint.Get);
            group.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
            group.MapPost("/completions", CompletionsEndpoint.HandleAsync);
            group.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
            group.MapPost("/responses", ResponsesEndpoints.CreateAsync);
            group.MapGet("/responses/{id}", ResponsesEndpoints.GetAsync);
            group.MapDelete("/responses/{id}", ResponsesEndpoints.DeleteAsync);
            group.MapGet("/responses/{id}/input_items", ResponsesEndpoints.InputItemsAsync);
            group.MapPost("/conversations", ConversationsEndpoints.CreateAsync);
            group.MapGet("/conversations/{id}", ConversationsEndpoints.GetAsync);
            group.MapPost("/conversations/{id}", ConversationsEndpoints.UpdateAsync);
            group.MapDelete("/conversations/{id}", ConversationsEndpoints.DeleteAsync);
            group.MapGet("/conversations/{id}/items", ConversationsEndpoints.ItemsAsync);
            group.MapPost("/conversations/{id}/items", ConversationsEndpoints.AddItemsAsync);
        }

        // Image generation needs a diffusion backend, which llama.cpp is not.
        routes.MapPost("/engines/diffusers/v1/images/generations", () =>
            Task.FromException(new ApiException(new ApiError(501, ApiErrorKind.NotImplemented, "image generation is not supported: this server runs llama.cpp, which has no diffusion backend", "model"))));
        return routes;
    }
}
