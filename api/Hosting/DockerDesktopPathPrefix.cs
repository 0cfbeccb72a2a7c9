using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ModelRunner.Api.Hosting;

/// <summary>
/// Serves paths under Docker Desktop's versioned prefix (<c>/exp/vDD4.40/engines/v1/…</c>) as the
/// same paths without it, so requests written for Docker Desktop's socket work unchanged.
/// </summary>
internal sealed partial class DockerDesktopPathPrefix(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not null && Prefix().Match(path) is { Success: true } match)
        {
            context.Request.PathBase = context.Request.PathBase.Add(match.Value);
            context.Request.Path = path[match.Length..];
        }

        return next(context);
    }

    [GeneratedRegex(@"^/exp/vDD[0-9.]+(?=/)")]
    private static partial Regex Prefix();
}
