namespace ModelRunner.Cli.Runner;

/// <summary>How to run this very <c>modelrunner</c> again: the executable, or <c>dotnet</c> and the assembly when run that way.</summary>
internal static class RunnerCommandLine
{
    public static IReadOnlyList<string> Self()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is (no process path)");
        var assembly = typeof(RunnerCommandLine).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && assembly.Length > 0 ? [process, assembly] : [process];
    }
}
