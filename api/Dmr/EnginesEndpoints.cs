using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Dmr.Contracts;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Observability;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Distribution;
using ModelRunner.Engine.Native;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Dmr;

/// <summary>DMR's runtime routes under <c>/engines</c>: status, ps, df, unload, _configure, requests.</summary>
internal static class EnginesEndpoints
{
    public static IResult Status()
    {
        var runtime = LlamaLibrary.Load();
        return Results.Json(new EngineStatus($"Running: llama.cpp {runtime.Variant} {runtime.Version}"), DmrJsonContext.Default.EngineStatus);
    }

    public static async Task<IResult> PsAsync(IModelBackend backend, IModelDistribution distribution, CancellationToken cancellationToken)
    {
        var runners = new List<RunnerStatus>();
        foreach (var status in await backend.LoadedAsync(cancellationToken).ConfigureAwait(false))
        {
            var model = distribution.Store.Find(status.Id);
            var embedding = model?.Config.Architecture is "bert" or "nomic-bert";
            runners.Add(new RunnerStatus(
                "llama.cpp",
                status.Tags.Count > 0 ? status.Tags[0] : status.Id,
                status.Id,
                embedding ? "embedding" : "completion",
                status.LastUsed,
                status.ActiveRequests > 0,
                false,
                KeepAlive.Format(status.KeepAlive),
                status.MemoryBytes,
                status.Node ?? Environment.MachineName,
                status.ContextSize,
                status.Sequences,
                status.QueuedRequests));
        }

        return Results.Json<IReadOnlyList<RunnerStatus>>(runners, DmrJsonContext.Default.IReadOnlyListRunnerStatus);
    }

    public static IResult Df(IModelDistribution distribution)
    {
        var usage = distribution.Store.GetUsage();
        var runtime = new DirectoryInfo(LlamaLibrary.Load().Directory);
        var backendBytes = runtime.Exists ? runtime.EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length) : 0;
        return Results.Json(new DiskUsage(usage.ModelBytes, usage.IncompleteBytes, backendBytes), DmrJsonContext.Default.DiskUsage);
    }

    /// <summary>POST <c>/engines/unload</c> <c>{all, backend, models[]}</c>.</summary>
    public static async Task<IResult> UnloadAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var models = body.Bool("all") == true
            ? (await backend.LoadedAsync(context.RequestAborted).ConfigureAwait(false)).Select(status => status.Id).ToList()
            : body.Strings("models") ?? throw ApiException.Invalid("give 'models' or 'all': true", "models");
        var unloaded = 0;
        foreach (var model in models)
        {
            unloaded += await backend.UnloadAsync(model, context.RequestAborted).ConfigureAwait(false) ? 1 : 0;
        }

        return Results.Json(new UnloadResponse(unloaded), DmrJsonContext.Default.UnloadResponse);
    }

    /// <summary>POST <c>/engines/_configure</c>: stored, applied at the next load (an idle loaded model reloads).</summary>
    public static async Task<IResult> ConfigureAsync(HttpContext context, IModelBackend backend, ModelSettingsStore settings)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var name = body.RequiredString("model");
        var model = backend.Resolve(name);
        var keepAlive = body.Duration("keep_alive");
        var flags = body.Strings("runtime-flags") ?? body.Strings("runtime_flags") ?? [];
        if (body.Fields("speculative") is { } speculative)
        {
            flags = [.. flags, .. SpeculativeFlags.From(speculative, backend)];
        }

        var configuration = new ModelSettings(body.Int("context-size") ?? body.Int("context_size"), flags, keepAlive, body.Int("replicas", 1));
        await settings.SetAsync(model.Id, configuration, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(Describe(name, configuration), DmrJsonContext.Default.ModelConfiguration, statusCode: StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> ConfigurationAsync(HttpContext context, IModelBackend backend, ModelSettingsStore settings)
    {
        var name = context.Request.Query["model"].ToString();
        if (name.Length == 0)
        {
            throw ApiException.Invalid("the query parameter 'model' is required", "model");
        }

        var configuration = await settings.GetAsync(backend.Resolve(name).Id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(Describe(name, configuration), DmrJsonContext.Default.ModelConfiguration);
    }

    /// <summary>GET <c>/engines/requests?model=</c>: recent requests; with <c>Accept: text/event-stream</c>, then each new one.</summary>
    public static async Task RequestsAsync(HttpContext context, RequestLog log, IModelBackend backend, IHostApplicationLifetime lifetime)
    {
        var model = context.Request.Query["model"].ToString() is { Length: > 0 } name ? name : null;
        var wanted = model is null ? null : SafeResolve(backend, model);
        bool Matches(RequestRecord record) => model is null || record.Model == model || (wanted is not null && SafeResolve(backend, record.Model) == wanted);
        var recent = log.Recent().Where(Matches).ToList();
        if (!context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
        {
            await Results.Json<IReadOnlyList<RequestRecord>>(recent, DmrJsonContext.Default.IReadOnlyListRequestRecord).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var events = await EventStream.StartSseAsync(context).ConfigureAwait(false);
        // Headers go out now, not with the first record: a follower (the dashboard) learns at once that it is live.
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        // A stopping server ends its followers at once (a dashboard left open must not hold up a SIGTERM).
        using var following = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var follow = log.FollowAsync(following.Token);
        foreach (var record in recent)
        {
            await events.DataAsync(JsonSerializer.Serialize(record, DmrJsonContext.Default.RequestRecord)).ConfigureAwait(false);
        }

        try
        {
            await foreach (var record in follow.ConfigureAwait(false))
            {
                if (Matches(record))
                {
                    await events.DataAsync(JsonSerializer.Serialize(record, DmrJsonContext.Default.RequestRecord)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (following.IsCancellationRequested)
        {
        }
    }

    private static string? SafeResolve(IModelBackend backend, string model)
    {
        try
        {
            return backend.Resolve(model).Id;
        }
        catch (Exception exception) when (exception is ModelNotFoundException or Distribution.References.InvalidReferenceException)
        {
            return null;
        }
    }

    private static ModelConfiguration Describe(string model, ModelSettings settings) =>
        new(model, settings.ContextSize, settings.Flags, settings.KeepAlive is { } keepAlive ? KeepAlive.Format(keepAlive) : null, settings.Replicas);
}
