using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Search;

/// <summary>
/// Docker Hub's <c>ai/</c> namespace through its public API: <c>GET /v2/namespaces/ai/repositories</c>, most
/// pulled first, 100 per page, following <c>next</c>. The term matches a repository's name or description (the API's
/// own filter sees names only). Private repositories are left out. Base URL: <c>MODEL_RUNNER_DOCKER_HUB_URL</c>.
/// </summary>
internal sealed class DockerHubSearch(HttpClient http) : ISearchSource
{
    public const string UrlVariable = "MODEL_RUNNER_DOCKER_HUB_URL";

    private const int PageSize = 100;

    // Enough pages for any namespace Docker publishes models in; a loop in `next` links cannot run forever.
    private const int MaxPages = 50;

    public string Name => "Docker Hub";

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, CancellationToken cancellationToken)
    {
        var results = new List<SearchResult>();
        Uri? page = new(SearchHttp.BaseUrl(UrlVariable, "https://hub.docker.com/"), $"v2/namespaces/ai/repositories?page_size={PageSize}&ordering=-pull_count");
        for (var pages = 0; page is not null && results.Count < limit && pages < MaxPages; pages++)
        {
            var json = await SearchHttp.GetJsonAsync(http, page, Name, cancellationToken).ConfigureAwait(false);
            foreach (var repository in json["results"]?.AsArray() ?? [])
            {
                if (repository?["is_private"]?.GetValue<bool>() == true || repository?["name"]?.GetValue<string>() is not { } name)
                {
                    continue;
                }

                var description = repository!["description"]?.GetValue<string>() ?? "";
                if (term.Length > 0 && !name.Contains(term, StringComparison.OrdinalIgnoreCase) && !description.Contains(term, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var owner = repository["namespace"]?.GetValue<string>() ?? "ai";
                results.Add(new SearchResult($"{owner}/{name}", description, Count(repository["pull_count"]), Count(repository["star_count"]), Name));
                if (results.Count == limit)
                {
                    break;
                }
            }

            page = json["next"]?.GetValue<string>() is { Length: > 0 } next ? new Uri(next) : null;
        }

        return results;
    }

    private static long Count(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var count) ? count
        : node is JsonValue text && text.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : 0;
}
