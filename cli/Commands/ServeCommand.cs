using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using ModelRunner.Api.Hosting;
using ModelRunner.Cli.Runner;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner serve</c>: runs the server (OpenAI, Anthropic, Ollama and DMR APIs on
/// 127.0.0.1:12434 by default) until interrupted. Flags override the environment variables.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1; MODEL_RUNNER_HOST_ADDRESS)" };
        var port = new Option<int?>("--port", "-p") { Description = $"Port (default {ServerOptions.DefaultPort}; MODEL_RUNNER_PORT)" };
        var home = new Option<DirectoryInfo?>("--home") { Description = "State folder (default ~/.modelrunner; MODEL_RUNNER_HOME)" };
        var models = new Option<DirectoryInfo?>("--models") { Description = "Model store (default <home>/models; MODELS_PATH)" };
        var demo = new Option<bool>("--demo") { Description = "Create the tiny random-weight demo model ai/tiny-random when it is missing (its output is gibberish by design)" };
        var gpu = GpuOption.Create();
        var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "Serve HTTPS with this PEM certificate (with --tls-key; MODEL_RUNNER_TLS_CERT)" };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "The certificate's PEM private key (MODEL_RUNNER_TLS_KEY)" };

        var cluster = new Option<string?>("--cluster") { Description = "Join the cluster in this PostgreSQL database (an Npgsql connection string; MODEL_RUNNER_CLUSTER)" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Port cluster nodes talk on (default 11111; MODEL_RUNNER_SILO_PORT)" };
        var advertise = new Option<string?>("--advertise") { Description = "Address other nodes reach this one at (MODEL_RUNNER_ADVERTISE)" };

        var command = new Command("serve", "Run the ModelRunner server") { host, port, home, models, demo, gpu, tlsCert, tlsKey, cluster, siloPort, advertise };
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(gpu) is { } choice)
            {
                // Read when llama.cpp is first loaded, which is after this.
                Environment.SetEnvironmentVariable(GpuOption.Variable, GpuOption.ToEnvironment(choice));
            }

            var environment = ServerOptions.FromEnvironment();
            var options = environment with
            {
                Host = parseResult.GetValue(host) ?? environment.Host,
                Port = parseResult.GetValue(port) ?? environment.Port,
                Home = parseResult.GetValue(home)?.FullName ?? environment.Home,
                ModelsPath = parseResult.GetValue(models)?.FullName ?? environment.ModelsPath,
                Demo = parseResult.GetValue(demo),
                Cluster = parseResult.GetValue(cluster) ?? environment.Cluster,
                SiloPort = parseResult.GetValue(siloPort) ?? environment.SiloPort,
                Advertise = parseResult.GetValue(advertise) ?? environment.Advertise,
                TlsCertificatePath = parseResult.GetValue(tlsCert)?.FullName ?? environment.TlsCertificatePath,
                TlsKeyPath = parseResult.GetValue(tlsKey)?.FullName ?? environment.TlsKeyPath,
            };

            await using var app = ModelRunnerServer.Build(options);
            var address = await ModelRunnerServer.StartAsync(app, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"ModelRunner is listening on {address} (models in {options.ResolvedModelsPath}); Ctrl+C stops it.").ConfigureAwait(false);

            // SIGTERM (docker stop, systemd, Kubernetes) reaches the host's lifetime, Ctrl+C this
            // command's token: either one stops the server the same graceful way, and exits 0.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("ModelRunner is stopping: running generations get a few seconds, conversations are saved.").ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        });
        return command;
    }
}
