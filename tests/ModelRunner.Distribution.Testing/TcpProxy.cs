using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ModelRunner.Distribution.Testing;

/// <summary>
/// A loopback TCP proxy in front of a real server, to put network faults between it and a client: cut connections
/// (cleanly or with a reset), flipped bytes, stalls and throttling, on the bytes the server sends. It also counts
/// the bytes going each way, which is how tests see what was downloaded or uploaded. Our test tool, not a mock: the
/// client still talks HTTP to the real server through it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private int _connectionCount;
    private int _cuts;
    private long _toClient;
    private long _toServer;
    private long _toClientAtCut;

    public TcpProxy(int targetPort, ProxyBehavior? behavior = null)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        Behavior = behavior ?? ProxyBehavior.PassThrough;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The proxy as a registry name in a model reference: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>What happens to new connections; may be changed at any time.</summary>
    public ProxyBehavior Behavior { get; set; }

    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>How many connections the proxy cut.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Bytes forwarded from the server to clients.</summary>
    public long BytesToClient => Interlocked.Read(ref _toClient);

    /// <summary>Bytes forwarded from clients to the server.</summary>
    public long BytesToServer => Interlocked.Read(ref _toServer);

    /// <summary>What <see cref="BytesToClient"/> was when the proxy last cut a connection.</summary>
    public long BytesToClientAtLastCut => Interlocked.Read(ref _toClientAtCut);

    /// <summary>Zeroes the byte counters.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _toClient, 0);
        Interlocked.Exchange(ref _toServer, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            var index = Interlocked.Increment(ref _connectionCount) - 1;
            var task = HandleAsync(client, index, Behavior);
            lock (_connections)
            {
                _connections.Add(task);
            }
        }
    }

    private async Task HandleAsync(Socket client, int index, ProxyBehavior behavior)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(_target, done.Token).ConfigureAwait(false);
            var up = PumpUpAsync(client, server, done.Token);
            var down = PumpDownAsync(server, client, index, behavior, done.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(up), Quietly(down)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpUpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferBytes];
        int read;
        while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await SendAllAsync(to, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _toServer, read);
        }

        to.Shutdown(SocketShutdown.Send);
    }

    private async Task PumpDownAsync(Socket from, Socket to, int index, ProxyBehavior behavior, CancellationToken cancellationToken)
    {
        var cutAfter = behavior.CutAfter?.Invoke(index);
        var stallAfter = behavior.StallAfter?.Invoke(index);
        var buffer = new byte[BufferBytes];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            if (cutAfter is { } planned && sent + read >= planned && behavior.MaxCuts is { } maxCuts && Cuts >= maxCuts)
            {
                // Enough cuts: this connection goes on as if it had no limit.
                cutAfter = null;
            }

            var count = read;
            var limit = Math.Min(cutAfter ?? long.MaxValue, stallAfter ?? long.MaxValue);
            if (sent + count > limit)
            {
                count = (int)(limit - sent);
            }

            if (behavior.CorruptAt is { } corrupt && corrupt >= sent && corrupt < sent + count)
            {
                buffer[corrupt - sent] ^= 0x5A;
            }

            if (behavior.BytesPerSecond is { } rate)
            {
                // Pace to the rate: wait until the bytes already sent plus these are due.
                var due = TimeSpan.FromSeconds((sent + count) / (double)rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
            }

            await SendAllAsync(to, buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            sent += count;
            Interlocked.Add(ref _toClient, count);

            if (cutAfter is { } cut && sent >= cut)
            {
                Interlocked.Increment(ref _cuts);
                Interlocked.Exchange(ref _toClientAtCut, Interlocked.Read(ref _toClient));
                if (behavior.Abortive?.Invoke(index) == true)
                {
                    to.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    to.Shutdown(SocketShutdown.Both);
                }

                to.Close();
                return;
            }

            if (stallAfter is { } stall && sent >= stall)
            {
                // Hold the connection open, silent, until the client gives up or the proxy stops.
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (data.Length > 0)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}
