namespace ModelRunner.Engine.Tests.Gguf;

/// <summary>A fresh directory under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gguf-tests-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
