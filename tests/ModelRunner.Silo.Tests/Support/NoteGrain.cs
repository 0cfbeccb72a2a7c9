using Orleans.Runtime;

namespace ModelRunner.Silo.Tests.Support;

public sealed class NoteGrain([PersistentState(NoteGrain.StateName)] IPersistentState<Note> state) : Grain, INoteGrain
{
    public const string StateName = "note";

    public Task<Note> GetAsync() => Task.FromResult(state.State);

    public Task<bool> RecordExistsAsync() => Task.FromResult(state.RecordExists);

    public Task SetAsync(Note note)
    {
        state.State = note;
        return state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();
}
