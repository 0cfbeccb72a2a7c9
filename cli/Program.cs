using ModelRunner.Cli;

// Installed as the Docker CLI plugin docker-model, the binary is called as `docker-model model <verb> …`.
var arguments = args is ["model", .. var rest] ? rest : args;
return await ModelRunnerCommand.Create().Parse(arguments).InvokeAsync().ConfigureAwait(false);
