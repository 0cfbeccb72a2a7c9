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

            CheckText(document.RootElement, "");
            return new RequestFields(document.RootElement.Clone(), "");
        }
    }

    /// <summary>
    /// The parser checks structure, not text: a string of invalid UTF-8 or an escaped lone
    /// surrogate (<c>"\ud800"</c>) parses, then throws whenever it is read. Reading every string
    /// once here turns that into a 400 naming where it is, before any endpoint reads a field.
    /// </summary>
    private static void CheckText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Readable(() => element.GetString(), path);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Readable(() => property.Name, path);
                    CheckText(property.Value, path.Length == 0 ? name : $"{path}.{name}");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item, $"{path}[{index++}]");
                }

                break;
        }
    }

    private static string Readable(Func<string?> read, string path)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw ApiException.Invalid($"the request body holds text that is not valid UTF-8 (or a lone UTF-16 surrogate){(path.Length > 0 ? $" in '{path}'" : "")}", path.Length > 0 ? path : null);
        }
    }
}
