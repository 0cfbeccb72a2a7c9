namespace ModelRunner.Silo.Tests.Support;

/// <summary>The state of <see cref="NoteGrain"/>; a new <see cref="Note"/> is what a grain has before anything is stored.</summary>
[GenerateSerializer]
public sealed record Note
{
    [Id(0)]
    public string Text { get; init; } = "";

    [Id(1)]
    public int Revision { get; init; }
}
