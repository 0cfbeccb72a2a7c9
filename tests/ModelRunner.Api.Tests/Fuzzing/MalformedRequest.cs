namespace ModelRunner.Api.Tests.Fuzzing;

/// <summary>One request as the fuzzer sends it: raw bytes, so it can be anything a client could put on the wire.</summary>
/// <param name="Route">The route it was made from (its method and path pattern), to group failures.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, possibly hostile.</param>
/// <param name="Body">The body; null for none.</param>
/// <param name="ContentType">The Content-Type header; null for none.</param>
internal sealed record MalformedRequest(string Route, string Method, string Path, byte[]? Body, string? ContentType)
{
    /// <param name="server">The server's base address; the path goes after it as it is, even when it starts with "//".</param>
    public HttpRequestMessage ToMessage(Uri server)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(server.GetLeftPart(UriPartial.Authority) + Path));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.ContentType = null;
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>What a failure report shows: enough to replay the request by hand.</summary>
    public override string ToString()
    {
        var body = Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300));
        return $"{Method} {(Path.Length > 200 ? Path[..200] + "…" : Path)} [{ContentType}] {body}";
    }
}
