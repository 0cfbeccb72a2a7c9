using System.Diagnostics;

namespace ModelRunner.Bench.Peer;

/// <summary>
/// Waits until a process (a server, or the bench with its raw loops) has stopped computing, so the
/// next measurement does not share the machine with the last one's tail.
/// </summary>
internal static class ProcessSettling
{
    // Below /proc's 10 ms tick, so a server must still use none; the bench's own process, which
    // does the waiting, may use a little and still count as quiet.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Returns once <paramref name="process"/> used (next to) no CPU for a quarter of a second: after an answer
    /// llama-server's pool polls for work (llama.cpp's default <c>--poll 50</c>) and took a core for
    /// ~150 ms here, and our thread choice, which looks at the last 100 ms, would see a busy
    /// neighbour. At most 3 seconds.
    /// </summary>
    public static async Task WaitAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        var before = CpuTime(process);
        while (deadline.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(250).ConfigureAwait(false);
            var now = CpuTime(process);
            if (now - before < Quiet)
            {
                return;
            }

            before = now;
        }
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}
