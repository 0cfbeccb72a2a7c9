using ModelRunner.Cli;

return await ModelRunnerCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
