using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Search;

/// <summary>
/// The Hugging Face Hub's GGUF models through its public API: <c>GET /api/models?search=…&amp;filter=gguf&amp;sort=downloads&amp;direction=-1&amp;limit=N</c>.
/// Names come back as <c>hf.co/org/repo</c>, which <c>pull</c> takes. Base URL: <c>HF_ENDPOINT</c>, as for pulls.
/// </summary>
internal sealed class HuggingFaceSearch(HttpClient http) : ISearchSource
{
    public const string UrlVariable = "HF_ENDPOINT";

    // The Hub's own cap on one page of results.
    private const int MaxLimit = 1000;

    public string Name => "Hugging Face";

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, CancellationToken cancellationToken)
    {
        var query = $"api/models?filter=gguf&sort=downloads&direction=-1&limit={Math.Min(limit, MaxLimit).ToString(CultureInfo.InvariantCulture)}";
        if (term.Length > 0)
        {
            query += "&search=" + Uri.EscapeDataString(term);
        }

        var json = await SearchHttp.GetJsonAsync(http, new Uri(SearchHttp.BaseUrl(UrlVariable, "https://huggingface.co/"), query), Name, cancellationToken).ConfigureAwait(false);
        if (json is not JsonArray models)
        {
            throw new SearchException($"{Name} answered an object where its API returns a list of models");
        }

        var results = new List<SearchResult>();
        foreach (var model in models)
        {
            if (model?["private"]?.GetValue<bool>() == true || (model?["id"] ?? model?["modelId"])?.GetValue<string>() is not { } id)
            {
                continue;
            }

            var description = model!["pipeline_tag"]?.GetValue<string>() ?? "";
            results.Add(new SearchResult($"hf.co/{id}", description, Count(model["downloads"]), Count(model["likes"]), Name));
        }

        return [.. results.Take(limit)];
    }

    private static long Count(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var count) ? count : 0;
}
