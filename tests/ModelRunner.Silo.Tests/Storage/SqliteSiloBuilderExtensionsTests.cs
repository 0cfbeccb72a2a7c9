using Microsoft.Extensions.DependencyInjection;
using ModelRunner.Silo.Storage;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace ModelRunner.Silo.Tests.Storage;

public sealed class SqliteSiloBuilderExtensionsTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    [Fact]
    public void AddSqliteGrainStorageAsDefault_ResolvesAsTheDefaultAndUnkeyedGrainStorage()
    {
        var named = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

        Assert.IsType<SqliteGrainStorage>(named);
        Assert.Same(named, fixture.SiloServices.GetRequiredService<IGrainStorage>());
        Assert.Equal(fixture.Database.Path, ((SqliteGrainStorage)named).DatabasePath);
    }

    [Fact]
    public async Task AddSqliteGrainStorage_Named_IsAProviderOfItsOwnOnItsOwnFile()
    {
        var archive = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(SqliteClusterFixture.ArchiveStorageName);
        var grainId = GrainId.Create("note", Guid.NewGuid().ToString("N"));

        await archive.WriteStateAsync(NoteGrain.StateName, grainId, new GrainState<Note>(new Note { Text = "archived" }));

        Assert.NotSame(fixture.Storage, archive);
        Assert.Single(await fixture.ArchiveDatabase.QueryAsync($"SELECT etag FROM orleans_grain_state WHERE grain_id = '{grainId}';"));
        var fromDefault = new GrainState<Note>();
        await fixture.Storage.ReadStateAsync(NoteGrain.StateName, grainId, fromDefault);
        Assert.False(fromDefault.RecordExists);
    }

    [Fact]
    public void AddSqliteGrainStorage_EmptyName_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddSqliteGrainStorage(" ", options => options.DatabasePath = "state.db"));
    }
}
