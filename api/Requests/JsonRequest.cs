using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Requests;

/// <summary>
/// Reads a request body as a JSON object. Every family reads its fields through
/// <see cref="RequestFields"/>, so a wrong type or a missing field is a 400 that names the field
/// rather than a serializer's message about a CLR type.
/// </summary>
public static class JsonRequest
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <exception cref="ApiException">The body is empty, not JSON, or not an object.</exception>
    public static async Task<RequestFields> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException json)
        {
            throw ApiException.Invalid($"the request body is not valid JSON: {json.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Invalid("the request body must be a JSON object");
            }

            return new RequestFields(document.RootElement.Clone(), "");
        }
    }
}
