namespace ModelRunner.Bench;

/// <summary>The CLI that <c>./modelrunner</c> builds into <c>.build/cli</c>: benchmarks run it as the real server process.</summary>
internal static class BuiltCli
{
    /// <exception cref="InvalidOperationException">It has not been built yet.</exception>
    public static string Dll()
    {
        var dll = Path.Combine(RepositoryRoot(), ".build", "cli", "modelrunner.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: run ./modelrunner version once to build it");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelRunner.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root is not above the benchmark");
    }
}
