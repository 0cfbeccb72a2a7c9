using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ModelRunner.Cli.Client;
using ModelRunner.Cli.Search;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner search [TERM] [--source all|dockerhub|huggingface] [-n N] [--json]</c>: models to pull, from
/// Docker Hub's <c>ai/</c> namespace and the Hugging Face Hub's GGUF models, most downloaded first. With
/// <c>--source all</c> a catalogue that fails is a warning as long as the other answers.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var term = new Argument<string?>("TERM") { Description = "Words in the model's name or description (none lists the most downloaded)", Arity = ArgumentArity.ZeroOrOne };
        var source = new Option<string>("--source") { Description = "Where to search: all, dockerhub or huggingface", DefaultValueFactory = _ => "all" };
        source.AcceptOnlyFromAmong("all", "dockerhub", "huggingface");
        var limit = new Option<int>("--limit", "-n") { Description = "The most results to show", DefaultValueFactory = _ => 32 };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var command = new Command("search", "Search Docker Hub and Hugging Face for models") { term, source, limit, json };
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(limit);
            if (count <= 0)
            {
                throw new ArgumentException($"--limit must be positive, not {count}");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"modelrunner/{VersionCommand.ClientVersion}");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            ISearchSource[] sources = parse.GetValue(source) switch
            {
                "dockerhub" => [new DockerHubSearch(http)],
                "huggingface" => [new HuggingFaceSearch(http)],
                _ => [new DockerHubSearch(http), new HuggingFaceSearch(http)],
            };

            var text = parse.GetValue(term)?.Trim() ?? "";
            var searches = sources.Select(s => s.SearchAsync(text, count, cancellationToken)).ToArray();
            var results = new List<SearchResult>();
            var failures = new List<string>();
            foreach (var search in searches)
            {
                try
                {
                    results.AddRange(await search.ConfigureAwait(false));
                }
                catch (SearchException e)
                {
                    failures.Add(e.Message);
                }
            }

            if (failures.Count == sources.Length)
            {
                throw new SearchException(string.Join("; ", failures));
            }

            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"warning: {failure}").ConfigureAwait(false);
            }

            var shown = results.OrderByDescending(r => r.Downloads).Take(count).ToList();
            if (parse.GetValue(json))
            {
                var array = new JsonArray([.. shown.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["description"] = r.Description,
                    ["downloads"] = r.Downloads,
                    ["stars"] = r.Stars,
                    ["source"] = r.Source,
                })]);
                Console.WriteLine(array.ToJsonString());
                return;
            }

            if (shown.Count == 0)
            {
                Console.WriteLine(text.Length > 0 ? $"No models match \"{text}\"" : "No models found");
                return;
            }

            TextTable.Write(Console.Out, ["NAME", "DESCRIPTION", "DOWNLOADS", "STARS", "SOURCE"], shown.Select(r => (IReadOnlyList<string>)
            [
                r.Name,
                r.Description.Length > 50 ? r.Description[..47] + "..." : r.Description,
                Short(r.Downloads),
                Short(r.Stars),
                r.Source,
            ]));
        });
        return command;
    }

    /// <summary>12.3M, 4.5K, 678: counts as people read them in a table.</summary>
    private static string Short(long count) => count switch
    {
        >= 1_000_000 => (count / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count / 1_000.0).ToString("0.0", CultureInfo.InvariantCulture) + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };
}
