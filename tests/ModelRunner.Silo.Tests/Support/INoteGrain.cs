namespace ModelRunner.Silo.Tests.Support;

/// <summary>A grain whose only job is to keep a <see cref="Note"/> in the default grain storage.</summary>
public interface INoteGrain : IGrainWithStringKey
{
    Task<Note> GetAsync();

    /// <summary>The grain's <c>IPersistentState.RecordExists</c>.</summary>
    Task<bool> RecordExistsAsync();

    Task SetAsync(Note note);

    Task ClearAsync();
}
