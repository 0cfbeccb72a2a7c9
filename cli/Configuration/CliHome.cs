namespace ModelRunner.Cli.Configuration;

/// <summary>
/// The user's ModelRunner folder, shared with <c>serve</c>: <c>$MODEL_RUNNER_HOME</c>, else <c>~/.modelrunner</c>. The
/// CLI keeps its contexts (<c>config.json</c>), the background runner's record and log, and packaging's staging there.
/// </summary>
internal static class CliHome
{
    public static string Path =>
        Environment.GetEnvironmentVariable("MODEL_RUNNER_HOME") is { Length: > 0 } home
            ? System.IO.Path.GetFullPath(home)
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner");

    public static string File(string name) => System.IO.Path.Combine(Path, name);
}
