using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Distribution;
using ModelRunner.Distribution.References;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Grammar;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Sequences;
using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Errors;

/// <summary>Classifies exceptions once for every API family. Thread-safe.</summary>
public static class ApiErrors
{
    public static ApiError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ApiException api => api.Error,
            ModelNotFoundException notFound => new ApiError(404, ApiErrorKind.NotFound, notFound.Message, "model"),
            ConversationNotFoundException notFound => new ApiError(404, ApiErrorKind.NotFound, notFound.Message, "conversation"),
            InvalidReferenceException invalid => new ApiError(400, ApiErrorKind.InvalidRequest, invalid.Message, "model"),
            PromptTooLongException tooLong => new ApiError(400, ApiErrorKind.InvalidRequest, tooLong.Message, "messages"),
            UnsupportedSchemaException schema => new ApiError(400, ApiErrorKind.InvalidRequest, schema.Message, "response_format"),
            ChatTemplateException template => new ApiError(400, ApiErrorKind.InvalidRequest, template.Message, "model"),
            JsonException json => new ApiError(400, ApiErrorKind.InvalidRequest, $"the request body is not valid JSON: {json.Message}", json.Path),
            BadHttpRequestException { StatusCode: 413 } => new ApiError(413, ApiErrorKind.TooLarge, "the request body is larger than the 10 MiB limit"),
            BadHttpRequestException bad => new ApiError(bad.StatusCode, ApiErrorKind.InvalidRequest, bad.Message),
            ArgumentException argument => new ApiError(400, ApiErrorKind.InvalidRequest, Unwrapped(argument), argument.ParamName),
            EngineBusyException busy => new ApiError(503, ApiErrorKind.Overloaded, busy.Message, RetryAfter: busy.RetryAfter),
            ModelDoesNotFitException fit => new ApiError(507, ApiErrorKind.InsufficientStorage, fit.Message, "model"),
            ModelBusyException conflict => new ApiError(409, ApiErrorKind.Conflict, conflict.Message, "model"),
            ModelConflictException conflict => new ApiError(409, ApiErrorKind.Conflict, conflict.Message, "model"),
            SequenceStateException state => new ApiError(409, ApiErrorKind.Conflict, state.Message),
            DistributionException distribution => new ApiError(502, ApiErrorKind.Server, distribution.Message),
            _ => new ApiError(500, ApiErrorKind.Server, exception.Message),
        };
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the message already names the field.</summary>
    private static string Unwrapped(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : exception.Message;
}
