using ModelRunner.Silo.Storage;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace ModelRunner.Silo.Tests.Storage;

/// <summary>The provider called directly, as the silo registered it (real serializer, real file).</summary>
public sealed class SqliteGrainStorageTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private static readonly Note First = new() { Text = "hello", Revision = 1 };

    [Fact]
    public async Task ReadStateAsync_NothingStored_GivesTheDefaultWithoutRecordOrETag()
    {
        var state = new GrainState<Note>(First) { ETag = "stale", RecordExists = true };

        await fixture.Storage.ReadStateAsync(NoteGrain.StateName, NewGrainId(), state);

        Assert.Equal((new Note(), null, false), (state.State, state.ETag, state.RecordExists));
    }

    [Fact]
    public async Task WriteStateAsync_ThenRead_RoundTripsUnderItsGrainAndStateName()
    {
        var grainId = NewGrainId();
        var written = new GrainState<Note>(First);

        await fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, written);

        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        var read = await ReadAsync(grainId);
        Assert.Equal((First, written.ETag, true), (read.State, read.ETag, read.RecordExists));
        Assert.False((await ReadAsync(grainId, "other")).RecordExists);
        Assert.False((await ReadAsync(NewGrainId())).RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_CurrentETag_ReplacesTheStateWithANewETag()
    {
        var grainId = NewGrainId();
        var state = await WriteAsync(grainId, First);
        var before = state.ETag;

        state.State = First with { Revision = 2 };
        await fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, state);

        Assert.NotEqual(before, state.ETag);
        var read = await ReadAsync(grainId);
        Assert.Equal((First with { Revision = 2 }, state.ETag), (read.State, read.ETag));
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsWithBothETagsAndLeavesTheRowUnchanged()
    {
        var grainId = NewGrainId();
        var stale = (await WriteAsync(grainId, First)).ETag;
        var current = await WriteAsync(grainId, First with { Revision = 2 }, stale);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(First with { Revision = 3 }, stale)));

        Assert.Equal((current.ETag, stale), (conflict.StoredEtag, conflict.CurrentEtag));
        Assert.Contains(grainId.ToString(), conflict.Message, StringComparison.Ordinal);
        var read = await ReadAsync(grainId);
        Assert.Equal((First with { Revision = 2 }, current.ETag), (read.State, read.ETag));
    }

    [Fact]
    public async Task WriteStateAsync_NoETagButARowIsStored_Throws()
    {
        var grainId = NewGrainId();
        var stored = await WriteAsync(grainId, First);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(First with { Revision = 2 })));

        Assert.Equal((stored.ETag, null), (conflict.StoredEtag, conflict.CurrentEtag));
        Assert.Equal(First, (await ReadAsync(grainId)).State);
    }

    [Fact]
    public async Task ClearStateAsync_CurrentETag_DeletesTheRowAndResetsTheState()
    {
        var grainId = NewGrainId();
        var state = await WriteAsync(grainId, First);

        await fixture.Storage.ClearStateAsync(NoteGrain.StateName, grainId, state);

        Assert.Equal((new Note(), null, false), (state.State, state.ETag, state.RecordExists));
        Assert.Empty(await fixture.Database.QueryAsync($"SELECT etag FROM orleans_grain_state WHERE grain_id = '{grainId}';"));
        // Nothing stored and nothing expected: a no-op, not a conflict.
        await fixture.Storage.ClearStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>());
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsAndLeavesTheRowUnchanged()
    {
        var grainId = NewGrainId();
        var stale = (await WriteAsync(grainId, First)).ETag;
        var current = await WriteAsync(grainId, First with { Revision = 2 }, stale);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            fixture.Storage.ClearStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(First, stale)));

        Assert.Equal((current.ETag, stale), (conflict.StoredEtag, conflict.CurrentEtag));
        var read = await ReadAsync(grainId);
        Assert.Equal((First with { Revision = 2 }, current.ETag, true), (read.State, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task WriteStateAsync_ETagFromBeforeAClear_ThrowsOnceTheStateIsWrittenAgain()
    {
        var grainId = NewGrainId();
        var old = await WriteAsync(grainId, First);
        var oldETag = old.ETag;
        await fixture.Storage.ClearStateAsync(NoteGrain.StateName, grainId, old);
        await WriteAsync(grainId, First);

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(First, oldETag)));
    }

    [Fact]
    public async Task WriteStateAsync_AnotherInstanceOnTheSameFileWroteFirst_Throws()
    {
        // A second provider on the same file stands in for a second process.
        using var other = SqliteGrainStorage.Create(fixture.SiloServices, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var grainId = NewGrainId();
        var mine = await WriteAsync(grainId, First);
        var theirs = new GrainState<Note>();
        await other.ReadStateAsync(NoteGrain.StateName, grainId, theirs);

        theirs.State = First with { Text = "theirs" };
        await other.WriteStateAsync(NoteGrain.StateName, grainId, theirs);
        mine.State = First with { Text = "mine" };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, mine));

        Assert.Equal(theirs.ETag, conflict.StoredEtag);
        Assert.Equal("theirs", (await ReadAsync(grainId)).State?.Text);
    }

    [Fact]
    public async Task WriteStateAsync_ConcurrentWritersOfOneRow_ExactlyOneWins()
    {
        var grainId = NewGrainId();
        var etag = (await WriteAsync(grainId, First)).ETag;

        var wins = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(First with { Revision = i + 2 }, etag));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Single(wins, won => won);
    }

    private static GrainId NewGrainId() => GrainId.Create("note", Guid.NewGuid().ToString("N"));

    private async Task<GrainState<Note>> ReadAsync(GrainId grainId, string stateName = NoteGrain.StateName)
    {
        var state = new GrainState<Note>();
        await fixture.Storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    private async Task<GrainState<Note>> WriteAsync(GrainId grainId, Note note, string? etag = null)
    {
        var state = new GrainState<Note>(note, etag);
        await fixture.Storage.WriteStateAsync(NoteGrain.StateName, grainId, state);
        return state;
    }
}
