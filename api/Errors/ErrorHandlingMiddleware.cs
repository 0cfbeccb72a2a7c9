using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ModelRunner.Api.Errors;

/// <summary>
/// Turns exceptions escaping an endpoint into the family's error shape. A response that already
/// started (a stream) cannot change its status: the stream ends with the error as an event of
/// the family's stream (<see cref="ErrorResponses.WriteInStreamAsync"/>), never silently. A server
/// failure is logged with the request's id, and the client gets that id (in the message and the
/// <c>X-Request-Id</c> header) rather than the exception's text.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left: nothing to answer.
        }
        catch (Exception exception)
        {
            var error = ApiErrors.From(exception);
            var requestId = context.TraceIdentifier;
            // 501 is an answer (this engine has no such feature), not a failure of the server.
            var failed = error.Status >= 500 && error.Kind != ApiErrorKind.NotImplemented;
            if (failed)
            {
                LogFailure(exception, context.Request.Method, context.Request.Path, requestId);
                if (error == ApiErrors.Unexpected)
                {
                    error = error with { Message = $"{error.Message}; the server log has the details under request id {requestId}" };
                }
            }

            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                if (failed)
                {
                    context.Response.Headers["X-Request-Id"] = requestId;
                }

                await ErrorResponses.WriteAsync(context, error).ConfigureAwait(false);
            }
            else
            {
                await ErrorResponses.WriteInStreamAsync(context, error).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (request id {RequestId})")]
    private partial void LogFailure(Exception exception, string method, string path, string requestId);
}
