using System.Diagnostics;

namespace ModelRunner.Cli.Runner;

/// <summary>Asks a runner whether it answers (<c>GET /version</c>), and waits for it with a deadline.</summary>
internal static class RunnerProbe
{
    public static async Task<bool> AnswersAsync(string url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(url), "version"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds or <paramref name="deadline"/> passes; returns whether it held.</summary>
    public static async Task<bool> WaitAsync(Func<Task<bool>> done, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await done().ConfigureAwait(false))
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
