using ModelRunner.Silo.Grains;
using ModelRunner.Silo.Storage;

namespace ModelRunner.Silo.Tests.Support;

public sealed class TallyGrain : Grain, ITallyGrain
{
    private readonly PersistentState<Tally> _tally;

    public TallyGrain(IGrainStorage storage)
    {
        _tally = new PersistentState<Tally>(storage, GrainType, Key, TestJsonContext.Default.Tally, () => new Tally(0));
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _tally.ReadStateAsync(cancellationToken);

    public async Task<int> IncrementAsync()
    {
        _tally.State = _tally.State with { Count = _tally.State.Count + 1 };
        await _tally.WriteStateAsync();
        return _tally.State.Count;
    }

    public Task<int> GetAsync() => Task.FromResult(_tally.State.Count);

    public Task ClearAsync() => _tally.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
