using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>
/// Real GGUF models for the tests: the tiny shape (about 4 MB, F16) with different seeds, so tests can have models
/// that differ. Each is written once per test run and shared; the folder goes when the process ends.
/// </summary>
public static class TinyModels
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("modelrunner-dist-models-").FullName;
    private static readonly Lock Gate = new();

    static TinyModels() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Folder, recursive: true);

    /// <summary>The tiny F16 model written with <paramref name="seed"/>.</summary>
    public static string Path(ulong seed = 1)
    {
        var path = System.IO.Path.Combine(Folder, $"tiny-{seed}.gguf");
        lock (Gate)
        {
            if (!File.Exists(path))
            {
                TestModelBuilder.Write(path, TestModelShape.Tiny, LlamaFileType.MostlyF16, seed);
            }
        }

        return path;
    }

    /// <summary>A copy of a tiny model under another name (e.g. a shard name) in <paramref name="folder"/>.</summary>
    public static string CopyTo(string folder, string name, ulong seed = 1)
    {
        var target = System.IO.Path.Combine(folder, name);
        File.Copy(Path(seed), target, overwrite: true);
        return target;
    }
}
