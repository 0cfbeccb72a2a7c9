namespace ModelRunner.Cli;

/// <summary>Ends a verb with an exit code after it has already said what it had to (e.g. <c>status</c>: not running).</summary>
internal sealed class CommandExit(int code) : Exception($"exit {code}")
{
    public int Code { get; } = code;
}
