using System.CommandLine;

namespace ModelRunner.Cli;

/// <summary>
/// Runs a verb's body with the CLI's error contract: exit 0 on success; on failure one line on
/// stderr and exit 1 (the stack trace only with <c>--debug</c>); exit 130 when interrupted.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await body(parseResult, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
            catch (CommandExit exit)
            {
                return exit.Code;
            }
#pragma warning disable CA1031 // The CLI's contract is one line per failure, whatever failed.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var message = parseResult.GetValue(ModelRunnerCommand.Debug) ? exception.ToString() : OneLine(exception);
                await Console.Error.WriteLineAsync($"modelrunner: {message}").ConfigureAwait(false);
                return 1;
            }
        });

    private static string OneLine(Exception exception) => exception switch
    {
        // ArgumentException appends " (Parameter 'x')" to its message; the message already names it.
        ArgumentException { ParamName: { } name } => exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal),
        _ => exception.Message,
    };
}
