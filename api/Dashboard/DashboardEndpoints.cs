using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Dashboard;

/// <summary>
/// The web dashboard: its page at <c>/dashboard</c> (and <c>/ui</c>), and at <c>/</c> for a browser
/// (a request that accepts <c>text/html</c>; other clients keep DMR's plain text there), with
/// its files under <c>/dashboard/</c>. The page and its files hold no data, so they load without
/// the API key; every call the page makes goes through the API and needs the key when one is set.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Tighter than the API's CORS: the page runs only the scripts it came with, talks only to this
    /// server, and cannot be framed by another site.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/dashboard", (HttpContext context) => PageAsync(context));
        routes.MapGet("/ui", (HttpContext context) => PageAsync(context));
        routes.MapGet("/dashboard/{file}", (string file, HttpContext context) => FileAsync(file, context));
        return routes;
    }

    /// <summary>Whether <paramref name="request"/> comes from a browser navigating to a page: it accepts <c>text/html</c>.</summary>
    public static bool WantsPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && accept.Quality is not 0);
    }

    /// <summary>Whether <paramref name="path"/> is the dashboard's page or one of its files, which load without the API key.</summary>
    public static bool IsPublic(PathString path) => path == "/ui" || path.StartsWithSegments("/dashboard");

    /// <summary>The page; its <c>&lt;base&gt;</c> points at <c>/dashboard/</c> under any path base, so it works at <c>/</c> too.</summary>
    public static Task PageAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = DashboardAssets.Find("index.html") ?? throw new InvalidOperationException("the dashboard's index.html is not embedded in this build");
        var baseHref = context.Request.PathBase.Add("/dashboard/").ToUriComponent();
        var html = Encoding.UTF8.GetString(page.Bytes).Replace("<base href=\"/dashboard/\">", $"<base href=\"{System.Net.WebUtility.HtmlEncode(baseHref)}\">", StringComparison.Ordinal);
        var response = context.Response;
        response.ContentType = page.ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = HeaderNames.Accept;
        Secure(response);
        return response.WriteAsync(html, context.RequestAborted);
    }

    private static Task FileAsync(string file, HttpContext context)
    {
        if (file == "index.html")
        {
            return PageAsync(context);
        }

        if (DashboardAssets.Find(file) is not { } asset)
        {
            return ErrorResponses.WriteAsync(context, new ApiError(404, ApiErrorKind.NotFound, $"no dashboard file {file}"));
        }

        var response = context.Response;
        // Revalidated on every load, so a new server version never runs with an old script.
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        Secure(response);
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        return response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
