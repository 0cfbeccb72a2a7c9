using System.Diagnostics;

namespace ModelRunner.Bench.Peer;

/// <summary>Another process that keeps one core busy (a shell busy loop), as a neighbour on a shared machine would.</summary>
internal sealed class BusyNeighbour : IAsyncDisposable
{
    private readonly Process _process = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))
        ?? throw new InvalidOperationException("could not start sh for the busy loop");

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
