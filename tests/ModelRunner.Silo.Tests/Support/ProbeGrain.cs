using System.Runtime.CompilerServices;
using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Support;

public sealed class ProbeGrain : Grain, IProbeGrain, IDisposable
{
    private readonly Probe _probe;
    private readonly string _id = Guid.NewGuid().ToString("N");

    public ProbeGrain(Probe probe)
    {
        _probe = probe;
        // Key is usable in the constructor.
        _probe.Record("constructed", Key, _id);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _probe.Record("activating", Key, _id);
        if (_probe.ActivationGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        await Task.Yield();
        if (_probe.TakeActivationFailure())
        {
            throw new ActivationFailedOnPurposeException(Key);
        }

        _probe.Record("activated", Key, _id);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record("deactivating", Key, reason.ToString());
        if (_probe.DeactivationGate is { } gate)
        {
            await gate;
        }

        _probe.Record("deactivated", Key, reason.ToString());
    }

    public void Dispose() => _probe.Record("disposed", Key, _id);

    public Task<string> PingAsync() => Task.FromResult(_id);

    public async Task HoldAsync(Task release, CancellationToken cancellationToken)
    {
        _probe.Enter();
        _probe.Record("holding", Key);
        try
        {
            await release.WaitAsync(cancellationToken);
        }
        finally
        {
            _probe.Exit();
        }
    }

    public async Task WorkAsync()
    {
        _probe.Enter();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
            }
        }
        finally
        {
            _probe.Exit();
        }
    }

    public Task<string> PeekAsync() => Task.FromResult(_id);

    public async Task HoldInterleavedAsync(Task release)
    {
        _probe.Enter();
        _probe.Record("holding-interleaved", Key);
        try
        {
            await release;
        }
        finally
        {
            _probe.Exit();
        }
    }

    public IAsyncEnumerable<int> CountAsync(int count, Task release, CancellationToken cancellationToken) => Count(count, release, cancellationToken);

    public IAsyncEnumerable<int> CountInterleavedAsync(int count, Task release, CancellationToken cancellationToken) => Count(count, release, cancellationToken);

    public Task SetKeepAliveAsync(TimeSpan keepAlive)
    {
        KeepAlive = keepAlive;
        return Task.CompletedTask;
    }

    public Task DelayDeactivationAsync(TimeSpan timeSpan)
    {
        DelayDeactivation(timeSpan);
        return Task.CompletedTask;
    }

    public Task DeactivateOnIdleAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public ValueTask TouchAsync()
    {
        _probe.Record("touched", Key);
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<int> Count(int count, Task release, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _probe.Record("streaming", Key);
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (i == 1)
                {
                    await release.WaitAsync(cancellationToken);
                }

                yield return i;
            }
        }
        finally
        {
            _probe.Record("stream-ended", Key);
        }
    }
}
