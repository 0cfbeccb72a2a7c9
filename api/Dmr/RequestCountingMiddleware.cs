using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Observability;

namespace ModelRunner.Api.Dmr;

/// <summary>Counts every answered request by API family, method and status for <c>/metrics</c>.</summary>
internal sealed class RequestCountingMiddleware(RequestDelegate next, ServerMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            metrics.CountRequest(ApiFamilies.Of(context.Request.Path).ToString().ToLowerInvariant(), context.Request.Method, context.Response.StatusCode);
        }
    }
}
