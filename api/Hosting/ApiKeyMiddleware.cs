using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Hosting;

/// <summary>
/// Requires the API key on every route but <c>/</c>, <c>/version</c> and the dashboard's page and
/// files (which hold no data: the page asks for the key before its API calls), from
/// <c>Authorization: Bearer …</c> (OpenAI, Ollama clients) or <c>x-api-key</c> (Anthropic clients).
/// Compared in constant time.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string apiKey)
{
    private readonly byte[] _key = System.Text.Encoding.UTF8.GetBytes(apiKey);

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path == "/" || path == "/version" || Dashboard.DashboardEndpoints.IsPublic(path) || HttpMethods.IsOptions(context.Request.Method) || Presented(context.Request) is { } key && Matches(key))
        {
            return next(context);
        }

        return ErrorResponses.WriteAsync(context, new ApiError(401, ApiErrorKind.Authentication, "a valid API key is required: send Authorization: Bearer <key> or x-api-key: <key>"));
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim()
            : request.Headers["x-api-key"].ToString() is { Length: > 0 } key ? key
            : null;
    }

    private bool Matches(string presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(presented), _key);
}
