using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ModelRunner.Api.Errors;

/// <summary>
/// Writes an <see cref="ApiError"/> in the shape its API family's clients parse: OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c>, Anthropic's
/// <c>{"type":"error","error":{"type","message"}}</c>, Ollama's <c>{"error":"…"}</c>, and DMR's
/// plain text. Thread-safe.
/// </summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } retry)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var family = ApiFamilies.Of(context.Request.Path);
        if (family == ApiFamily.Dmr)
        {
            response.ContentType = "text/plain; charset=utf-8";
            return response.WriteAsync(error.Message + "\n", context.RequestAborted);
        }

        response.ContentType = "application/json";
        return response.WriteAsync(Json(Body(family, error)), context.RequestAborted);
    }

    /// <summary>
    /// Ends a stream that already started (its status sent) with the error, as the family's
    /// clients read one in a stream: OpenAI's <c>data: {"error":{…}}</c> event (Responses' typed
    /// <c>error</c> event), Anthropic's <c>event: error</c>, Ollama's <c>{"error":"…"}</c> line.
    /// A stream of another kind (or none) gets nothing: its end is all the client can be told.
    /// </summary>
    public static async Task WriteInStreamAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var family = ApiFamilies.Of(context.Request.Path);
        var contentType = context.Response.ContentType ?? "";
        string? text = (family, contentType) switch
        {
            (ApiFamily.Anthropic, "text/event-stream") => $"event: error\ndata: {Json(Body(family, error))}\n\n",
            (ApiFamily.OpenAi, "text/event-stream") when context.Request.Path.Value!.EndsWith("/responses", StringComparison.Ordinal) =>
                $"event: error\ndata: {Json(new JsonObject { ["type"] = "error", ["code"] = OpenAiCode(error) ?? OpenAiType(error), ["message"] = error.Message, ["param"] = error.Param })}\n\n",
            (ApiFamily.OpenAi, "text/event-stream") => $"data: {Json(Body(family, error))}\n\n",
            (ApiFamily.Ollama, "application/x-ndjson") => Json(Body(family, error)) + "\n",
            _ => null,
        };
        if (text is not null)
        {
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string Json(JsonNode node) => node.ToJsonString(JsonSerializerOptions.Web);

    private static JsonObject Body(ApiFamily family, ApiError error) => family switch
    {
        ApiFamily.Anthropic => new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = AnthropicType(error), ["message"] = error.Message },
        },
        ApiFamily.Ollama => new JsonObject { ["error"] = error.Message },
        _ => new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = error.Message,
                ["type"] = OpenAiType(error),
                ["param"] = error.Param,
                ["code"] = OpenAiCode(error),
            },
        },
    };

    private static string OpenAiType(ApiError error) => error.Kind switch
    {
        ApiErrorKind.Authentication => "authentication_error",
        ApiErrorKind.NotFound or ApiErrorKind.InvalidRequest or ApiErrorKind.Conflict or ApiErrorKind.TooLarge => "invalid_request_error",
        ApiErrorKind.NotImplemented => "not_implemented_error",
        _ => "server_error",
    };

    private static string? OpenAiCode(ApiError error) => error.Kind switch
    {
        ApiErrorKind.NotFound when error.Param == "model" => "model_not_found",
        ApiErrorKind.NotFound => "not_found",
        ApiErrorKind.Authentication => "invalid_api_key",
        ApiErrorKind.Overloaded => "overloaded",
        ApiErrorKind.InsufficientStorage => "insufficient_memory",
        ApiErrorKind.TooLarge => "request_too_large",
        ApiErrorKind.Conflict => "conflict",
        _ when error.Message.Contains("context holds", StringComparison.Ordinal) => "context_length_exceeded",
        _ => null,
    };

    private static string AnthropicType(ApiError error) => error.Kind switch
    {
        ApiErrorKind.InvalidRequest or ApiErrorKind.Conflict => "invalid_request_error",
        ApiErrorKind.Authentication => "authentication_error",
        ApiErrorKind.NotFound => "not_found_error",
        ApiErrorKind.TooLarge => "request_too_large",
        ApiErrorKind.Overloaded => "overloaded_error",
        _ => "api_error",
    };
}
