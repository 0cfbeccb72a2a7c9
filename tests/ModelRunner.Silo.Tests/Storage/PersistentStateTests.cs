using Orleans.Runtime;
using Orleans.Storage;

namespace ModelRunner.Silo.Tests.Storage;

/// <summary>Grains using <c>[PersistentState]</c> with the SQLite provider as the silo's default storage.</summary>
public sealed class PersistentStateTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private static readonly Note First = new() { Text = "hello", Revision = 1 };

    [Fact]
    public async Task WriteStateAsync_GrainDeactivated_TheNextActivationReadsItBack()
    {
        var grain = fixture.Cluster.Client.GetGrain<INoteGrain>(NewKey());
        await grain.SetAsync(First);
        var before = ActivationId(grain);
        Assert.NotNull(before);

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.Equal(First, await grain.GetAsync());
        Assert.True(await grain.RecordExistsAsync());
        Assert.NotEqual(before, ActivationId(grain));
    }

    [Fact]
    public async Task ClearStateAsync_ThenReadByANewActivation_GivesTheDefaultWithoutRecord()
    {
        var grain = fixture.Cluster.Client.GetGrain<INoteGrain>(NewKey());
        await grain.SetAsync(First);

        await grain.ClearAsync();
        await fixture.Cluster.DeactivateAsync(grain);

        Assert.Equal(new Note(), await grain.GetAsync());
        Assert.False(await grain.RecordExistsAsync());
        var stored = new GrainState<Note>();
        await fixture.Storage.ReadStateAsync(NoteGrain.StateName, grain.GetGrainId(), stored);
        Assert.False(stored.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_ManyGrainsAtOnce_AllLand()
    {
        var grains = Enumerable.Range(0, 50).Select(_ => fixture.Cluster.Client.GetGrain<INoteGrain>(NewKey())).ToList();

        await Task.WhenAll(grains.Select((grain, i) => grain.SetAsync(First with { Revision = i })));

        for (var i = 0; i < grains.Count; i++)
        {
            var stored = new GrainState<Note>();
            await fixture.Storage.ReadStateAsync(NoteGrain.StateName, grains[i].GetGrainId(), stored);
            Assert.Equal(First with { Revision = i }, stored.State);
        }
    }

    private static string NewKey() => Guid.NewGuid().ToString("N");

    private ActivationId? ActivationId(INoteGrain grain) =>
        fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.ActivationId : null;
}
