using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Observability;

namespace ModelRunner.Api.Dmr;

/// <summary><c>/</c>, <c>/version</c> and <c>/logs</c>.</summary>
internal static class OperationsEndpoints
{
    /// <summary>This build's version, from the assembly (set by the build).</summary>
    public static string Version { get; } =
        typeof(OperationsEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>GET <c>/</c>: the dashboard for a browser, DMR's plain text for every other client.</summary>
    public static Task Root(HttpContext context)
    {
        if (Dashboard.DashboardEndpoints.WantsPage(context.Request))
        {
            return Dashboard.DashboardEndpoints.PageAsync(context);
        }

        // Caches keep the page and the text apart.
        context.Response.Headers.Vary = Microsoft.Net.Http.Headers.HeaderNames.Accept;
        return Results.Text("ModelRunner is running\n").ExecuteAsync(context);
    }

    public static IResult VersionInfo() => Results.Json(new VersionInfo(Version), DmrJsonContext.Default.VersionInfo);

    /// <summary>GET <c>/logs?follow=true</c>: the kept lines, then (following) each new one as it is logged.</summary>
    public static async Task LogsAsync(HttpContext context, LogRing logs, IHostApplicationLifetime lifetime)
    {
        var follow = context.Request.Query["follow"] is ["true" or "1"];
        context.Response.ContentType = "text/plain; charset=utf-8";
        var stream = follow ? await Streaming.EventStream.StartAsync(context, "text/plain; charset=utf-8").ConfigureAwait(false) : null;
        // A stopping server ends its followers at once instead of waiting for them to hang up.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await foreach (var line in logs.ReadAsync(follow, reading.Token).ConfigureAwait(false))
            {
                if (stream is null)
                {
                    await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
                }
                else
                {
                    await stream.LineAsync(line).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
        }
    }
}
