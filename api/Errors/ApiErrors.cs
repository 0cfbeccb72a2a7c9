using System.Text.Json;
using System.Text.RegularExpressions;
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

/// <summary>
/// Classifies exceptions once for every API family, by type: only the types that mean "the
/// caller got it wrong" become 4xx, each naming its field. Anything else is the server's own
/// failure: a 500 with <see cref="Unexpected"/>, whose message shows no internal text (paths,
/// type names, stack frames); the details belong in the log. Thread-safe.
/// </summary>
public static partial class ApiErrors
{
    /// <summary>What a client is told of a failure the server did not foresee.</summary>
    public static ApiError Unexpected { get; } = new(500, ApiErrorKind.Server, "the server failed to handle the request");

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
            InvalidRequestException invalid => new ApiError(400, ApiErrorKind.InvalidRequest, invalid.Message, invalid.Field),
            InvalidOptionException invalid => new ApiError(400, ApiErrorKind.InvalidRequest, invalid.Reason, invalid.ParamName),
            // A serializer's message names CLR types: say where the body went wrong, not what it failed to become.
            JsonException json => new ApiError(400, ApiErrorKind.InvalidRequest, $"the request body is not valid JSON{(json.Path is { } path ? $" at {path}" : "")}", json.Path),
            BadHttpRequestException { StatusCode: 413 } => new ApiError(413, ApiErrorKind.TooLarge, "the request body is larger than the 10 MiB limit"),
            BadHttpRequestException bad => Binding(bad),
            EngineBusyException busy => new ApiError(503, ApiErrorKind.Overloaded, busy.Message, RetryAfter: busy.RetryAfter),
            ModelOverloadedException busy => new ApiError(503, ApiErrorKind.Overloaded, busy.Message, RetryAfter: busy.RetryAfter),
            ModelDoesNotFitException fit => new ApiError(507, ApiErrorKind.InsufficientStorage, fit.Message, "model"),
            ModelBusyException conflict => new ApiError(409, ApiErrorKind.Conflict, conflict.Message, "model"),
            ModelConflictException conflict => new ApiError(409, ApiErrorKind.Conflict, conflict.Message, "model"),
            SequenceStateException state => new ApiError(409, ApiErrorKind.Conflict, state.Message),
            DistributionException distribution => new ApiError(502, ApiErrorKind.Server, distribution.Message),
            _ => Unexpected,
        };
    }

    /// <summary>
    /// Minimal APIs name a parameter that does not bind with its CLR type (<c>Required parameter
    /// "string name" was not provided</c>): the client is told the name only.
    /// </summary>
    private static ApiError Binding(BadHttpRequestException bad) =>
        BoundParameter().Match(bad.Message) is { Success: true } parameter
            ? new ApiError(bad.StatusCode, ApiErrorKind.InvalidRequest, $"'{parameter.Groups["name"].Value}' is missing or malformed", parameter.Groups["name"].Value)
            : new ApiError(bad.StatusCode, ApiErrorKind.InvalidRequest, bad.Message);

    [GeneratedRegex("""parameter "(?:\S+ )?(?<name>[^"\s]+)"?""")]
    private static partial Regex BoundParameter();
}
