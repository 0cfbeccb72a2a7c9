using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;

namespace ModelRunner.Api.Dmr;

/// <summary>
/// <c>X-Preload-Only: true</c> on an inference request: load the model the body names, answer
/// 200, generate nothing. Clients use it to warm a model before the user's first question.
/// </summary>
internal sealed class PreloadOnlyMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IModelBackend backend)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Headers["X-Preload-Only"] is not ["true" or "1"])
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.String("model") ?? throw ApiException.Invalid("'model' is required to preload", "model");
        await backend.LoadAsync(model, body.Duration("keep_alive"), context.RequestAborted).ConfigureAwait(false);
        await Results.Text($"preloaded {model}\n").ExecuteAsync(context).ConfigureAwait(false);
    }
}
