using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Rerank.Contracts;
using ModelRunner.Api.Requests;

namespace ModelRunner.Api.Rerank;

/// <summary>
/// Reranking and scoring on a reranking model, where llama-server and DMR answer them:
/// <c>/rerank</c> (also <c>/reranking</c>) in Jina's shape, or Text Embeddings Inference's when the
/// request has <c>texts</c>, and <c>/score</c> in vLLM's shape; at the root, under <c>/v1</c>, and
/// under <c>/engines</c> and <c>/engines/llama.cpp</c>. Errors are in OpenAI's shape.
/// </summary>
public static class RerankEndpoints
{
    public static readonly string[] Prefixes = ["", "/v1", "/engines", "/engines/v1", "/engines/llama.cpp", "/engines/llama.cpp/v1"];

    public static IEndpointRouteBuilder MapRerankEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in Prefixes)
        {
            routes.MapPost(prefix + "/rerank", RerankAsync);
            routes.MapPost(prefix + "/reranking", RerankAsync);
            routes.MapPost(prefix + "/score", ScoreAsync);
        }

        return routes;
    }

    // Routing ignores case, so the error shape does too.
    private static readonly HashSet<string> Paths = new(Prefixes.SelectMany(prefix => new[] { prefix + "/rerank", prefix + "/reranking", prefix + "/score" }), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a path is one of these routes (their errors take OpenAI's shape wherever they live).</summary>
    public static bool Serves(PathString path) => path.Value is { } value && Paths.Contains(value.TrimEnd('/'));

    private static async Task RerankAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var query = body.RequiredString("query");
        var tei = body.Has("texts");
        var field = tei ? "texts" : "documents";
        var documents = Texts(body, field);
        var topN = body.Int("top_n", 1) ?? documents.Count;
        var scores = await backend.RerankAsync(model, query, documents, null, context.RequestAborted).ConfigureAwait(false);
        var ranked = scores.Scores.Select((score, index) => (score, index)).OrderByDescending(entry => entry.score).Take(topN).ToList();
        if (tei)
        {
            var withText = body.Bool("return_text") ?? false;
            IReadOnlyList<TeiRank> ranks = [.. ranked.Select(entry => new TeiRank(entry.index, entry.score, withText ? documents[entry.index] : null))];
            await Results.Json(ranks, RerankJsonContext.Default.IReadOnlyListTeiRank).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var withDocuments = body.Bool("return_documents") ?? false;
        var list = new RerankList(
            model,
            new RerankUsage(scores.PromptTokens, scores.PromptTokens),
            [.. ranked.Select(entry => new RerankEntry(entry.index, entry.score, withDocuments ? new RerankDocument(documents[entry.index]) : null))]);
        await Results.Json(list, RerankJsonContext.Default.RerankList).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// vLLM's pairs: <c>text_1</c> one text and <c>text_2</c> one or many (each scored against it), or
    /// both lists of one length (scored pairwise).
    /// </summary>
    private static async Task ScoreAsync(HttpContext context, IModelBackend backend)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var first = Texts(body, "text_1");
        var second = Texts(body, "text_2");
        if (first.Count != 1 && first.Count != second.Count)
        {
            throw ApiException.Invalid($"'text_1' must be one text or as many as 'text_2' ({second.Count}), not {first.Count}", "text_1");
        }

        var data = new List<ScoreEntry>(second.Count);
        var tokens = 0;
        if (first.Count == 1)
        {
            var scores = await backend.RerankAsync(model, first[0], second, null, context.RequestAborted).ConfigureAwait(false);
            data.AddRange(scores.Scores.Select((score, index) => new ScoreEntry(index, score)));
            tokens = scores.PromptTokens;
        }
        else
        {
            for (var i = 0; i < first.Count; i++)
            {
                var scores = await backend.RerankAsync(model, first[i], [second[i]], null, context.RequestAborted).ConfigureAwait(false);
                data.Add(new ScoreEntry(i, scores.Scores[0]));
                tokens += scores.PromptTokens;
            }
        }

        var list = new ScoreList("score-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model, data, new ScoreUsage(tokens, tokens));
        await Results.Json(list, RerankJsonContext.Default.ScoreList).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static IReadOnlyList<string> Texts(RequestFields body, string field)
    {
        var texts = body.Strings(field) ?? throw ApiException.Invalid($"'{field}' is required", field);
        return texts.Count == 0 || texts.Any(text => text.Length == 0)
            ? throw ApiException.Invalid($"'{field}' must hold at least one non-empty string", field)
            : texts;
    }
}
