using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using ModelRunner.Testing;

namespace ModelRunner.Distribution.Testing;

/// <summary>
/// A real CNCF Distribution registry (Debian's <c>docker-registry</c>) on a free 127.0.0.1 port with a temporary
/// storage folder, optionally behind htpasswd Basic auth or a token service. Starting fails loudly, saying what is
/// missing, rather than letting a test skip. Disposing stops the process and deletes the folder.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log;

    private RegistryServer(Process process, string folder, int port, StringBuilder log)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _log = log;
    }

    public int Port { get; }

    /// <summary>The registry's name in a model reference: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>The registry's storage folder.</summary>
    public string StoragePath => Path.Combine(_folder, "storage");

    /// <summary>What the registry printed, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts an open registry.</summary>
    public static Task<RegistryServer> StartAsync() => StartAsync(_ => "");

    /// <summary>Starts a registry that requires Basic auth with one user (bcrypt htpasswd, made by Apache's htpasswd).</summary>
    public static async Task<RegistryServer> StartWithBasicAuthAsync(string user, string password)
    {
        var (code, output, error) = await RunAsync(Tool("htpasswd", "apache2-utils"), ["-Bbn", user, password]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"htpasswd failed ({code}): {error}");
        }

        return await StartAsync(folder =>
        {
            var file = Path.Combine(folder, "htpasswd");
            File.WriteAllText(file, output);
            return $"""
                auth:
                  htpasswd:
                    realm: modelrunner-tests
                    path: {file}
                """;
        }).ConfigureAwait(false);
    }

    /// <summary>Starts a registry that trusts tokens from <paramref name="tokenService"/> (Docker's token auth).</summary>
    public static Task<RegistryServer> StartWithTokenAuthAsync(TokenService tokenService)
    {
        ArgumentNullException.ThrowIfNull(tokenService);
        return StartAsync(_ => $"""
            auth:
              token:
                realm: {tokenService.Realm}
                service: {TokenService.Service}
                issuer: {TokenService.Issuer}
                rootcertbundle: {tokenService.CertificatePath}
            """);
    }

    /// <summary>Starts the registry; <paramref name="auth"/> writes what its auth section needs into the registry's folder and returns the section.</summary>
    private static async Task<RegistryServer> StartAsync(Func<string, string> auth)
    {
        var executable = Tool("docker-registry", "docker-registry");
        var folder = Directory.CreateTempSubdirectory("modelrunner-registry-").FullName;
        var authSection = auth(folder);
        var failures = new StringBuilder();

        // The port is free when chosen but could be taken before the registry binds it; then try another.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = LoopbackPort.Free();
            var config = Path.Combine(folder, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(folder, "storage")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                  secret: modelrunner-tests
                {authSection}
                """).ConfigureAwait(false);

            var log = new StringBuilder();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("serve");
            start.ArgumentList.Add(config);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            void OnLine(object? sender, DataReceivedEventArgs e)
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (log)
                {
                    log.AppendLine(e.Data);
                }

                if (e.Data.Contains($"listening on 127.0.0.1:{port}", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            }

            process.OutputDataReceived += OnLine;
            process.ErrorDataReceived += OnLine;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the registry exited"));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                await listening.Task.WaitAsync(StartTimeout).ConfigureAwait(false);
                return new RegistryServer(process, folder, port, log);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                Stop(process);
                string text;
                lock (log)
                {
                    text = log.ToString();
                }

                failures.AppendLine(CultureInfo.InvariantCulture, $"attempt {attempt + 1} on port {port}: {e.Message}\n{text}");
                if (!text.Contains("address already in use", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        Directory.Delete(folder, recursive: true);
        throw new InvalidOperationException($"docker-registry did not start listening within {StartTimeout.TotalSeconds} s:\n{failures}");
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The full path of a tool, or a loud failure naming the Debian package that has it.</summary>
    public static string Tool(string name, string package)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"'{name}' is not installed; the distribution tests need it. Run eng/install-test-deps.sh as root (it installs the Debian package {package}).");
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
