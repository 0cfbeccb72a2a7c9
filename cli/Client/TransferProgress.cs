using System.Text.Json.Nodes;
using Spectre.Console;

namespace ModelRunner.Cli.Client;

/// <summary>
/// Shows a pull or push from the server's JSON progress lines: on a terminal, a live bar per
/// layer with bytes, speed and time left; otherwise one plain line per layer step, so logs stay
/// readable. An <c>error</c> line fails the command with its message.
/// </summary>
internal static class TransferProgress
{
    /// <returns>The message of the last <c>success</c> line.</returns>
    public static async Task<string> ShowAsync(IAsyncEnumerable<string> lines) =>
        Console.IsOutputRedirected
            ? await PlainAsync(lines, Console.Out).ConfigureAwait(false)
            : await LiveAsync(lines).ConfigureAwait(false);

    private static async Task<string> LiveAsync(IAsyncEnumerable<string> lines)
    {
        var result = "";
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var layers = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                await foreach (var line in lines.ConfigureAwait(false))
                {
                    var (type, message, layer) = Read(line);
                    if (layer is { } progress)
                    {
                        if (!layers.TryGetValue(progress.Id, out var task))
                        {
                            layers[progress.Id] = task = context.AddTask(Short(progress.Id), maxValue: Math.Max(1, progress.Size));
                        }

                        task.Value = progress.Current;
                    }

                    result = type == "success" ? message : result;
                }

                foreach (var task in layers.Values)
                {
                    task.Value = task.MaxValue;
                }
            }).ConfigureAwait(false);
        return result;
    }

    private static async Task<string> PlainAsync(IAsyncEnumerable<string> lines, TextWriter output)
    {
        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = "";
        await foreach (var line in lines.ConfigureAwait(false))
        {
            var (type, message, layer) = Read(line);
            if (layer is { } progress)
            {
                // One line per quarter of each layer: enough to follow, few enough for a log.
                var quarter = progress.Size > 0 ? (int)(4 * progress.Current / progress.Size) : 4;
                if (!shown.TryGetValue(progress.Id, out var last) || quarter > last)
                {
                    shown[progress.Id] = quarter;
                    await output.WriteLineAsync($"{Short(progress.Id)}: {Size(progress.Current)} of {Size(progress.Size)} ({25 * quarter}%)").ConfigureAwait(false);
                }
            }
            else if (type == "warning")
            {
                await output.WriteLineAsync($"warning: {message}").ConfigureAwait(false);
            }

            result = type == "success" ? message : result;
        }

        return result;
    }

    private static (string Type, string Message, (string Id, long Size, long Current)? Layer) Read(string line)
    {
        var json = JsonNode.Parse(line) ?? throw new ServerException("the server sent an empty progress line");
        var type = json["type"]?.GetValue<string>() ?? "progress";
        var message = json["message"]?.GetValue<string>() ?? "";
        if (type == "error")
        {
            throw new ServerException(message);
        }

        var layer = json["layer"] is JsonObject progress
            ? (progress["id"]!.GetValue<string>(), progress["size"]!.GetValue<long>(), progress["current"]!.GetValue<long>())
            : ((string, long, long)?)null;
        return (type, message, layer);
    }

    private static string Short(string digest) => digest.Replace("sha256:", "", StringComparison.Ordinal) is { Length: >= 12 } hex ? hex[..12] : digest;

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
