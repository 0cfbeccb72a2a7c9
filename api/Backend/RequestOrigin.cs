namespace ModelRunner.Api.Backend;

/// <summary>The HTTP request behind a backend call, as the request log records it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Body">The request body (truncated for the log).</param>
public sealed record RequestOrigin(string Method, string Path, string Body)
{
    public static RequestOrigin Internal { get; } = new("", "", "");
}
