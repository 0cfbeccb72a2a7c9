using System.Globalization;

namespace ModelRunner.Api.Hosting;

/// <summary>How <c>modelrunner serve</c> runs. Every setting has an environment variable; flags win over it.</summary>
public sealed record ServerOptions
{
    /// <summary>The default port, DMR's.</summary>
    public const int DefaultPort = 12434;

    /// <summary>Address to listen on (default 127.0.0.1: loopback only). <c>MODEL_RUNNER_HOST_ADDRESS</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port (default 12434; 0 picks a free one). <c>MODEL_RUNNER_PORT</c>.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// A Unix socket to listen on as well, like Docker Desktop's (<c>~/.docker/run/docker.sock</c>), so
    /// clients written for it work unchanged. <c>MODEL_RUNNER_SOCKET</c>.
    /// </summary>
    public string? UnixSocket { get; init; }

    /// <summary>
    /// A PEM certificate to serve HTTPS with instead of HTTP (with <see cref="TlsKeyPath"/>), for a runner other machines
    /// reach. <c>MODEL_RUNNER_TLS_CERT</c>.
    /// </summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/>. <c>MODEL_RUNNER_TLS_KEY</c>.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Where state lives: SQLite, saved KV state (default <c>~/.modelrunner</c>). <c>MODEL_RUNNER_HOME</c>.</summary>
    public string Home { get; init; } = DefaultHome();

    /// <summary>The model store (default <c>$MODEL_RUNNER_HOME/models</c>). <c>MODELS_PATH</c>.</summary>
    public string? ModelsPath { get; init; }

    /// <summary>When set, every route but <c>/</c> and <c>/version</c> needs <c>Authorization: Bearer</c> this key (or <c>x-api-key</c>). <c>MODEL_RUNNER_API_KEY</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Browser origins allowed besides localhost ones (comma-separated in <c>MODEL_RUNNER_ORIGINS</c>).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Memory models may use, in bytes; null: the machine's, minus 10%. <c>MODEL_RUNNER_MEMORY_BYTES</c>.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Generate and package the tiny demo model <c>ai/tiny-random</c> when it is missing.</summary>
    public bool Demo { get; init; }

    /// <summary>Largest request body (10 MiB, like DMR).</summary>
    public long MaxRequestBodyBytes { get; init; } = 10 << 20;

    /// <summary>
    /// An Npgsql connection string: join the cluster whose membership and grain state live in
    /// that PostgreSQL database (<c>--cluster</c>, <c>MODEL_RUNNER_CLUSTER</c>); null runs alone.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>The port silos of a cluster talk on (<c>--silo-port</c>, <c>MODEL_RUNNER_SILO_PORT</c>; default 11111 in a cluster).</summary>
    public int? SiloPort { get; init; }

    /// <summary>The address peers reach this node at, for silo traffic and model fetches (<c>--advertise</c>, <c>MODEL_RUNNER_ADVERTISE</c>).</summary>
    public string? Advertise { get; init; }

    /// <summary>Serve the Orleans Dashboard at <c>/orleans</c> (default true; <c>MODEL_RUNNER_ORLEANS_DASHBOARD=0</c> turns it off).</summary>
    public bool OrleansDashboard { get; init; } = true;

    /// <summary>How long a stopping server lets running generations finish before it cancels them (default 5 s).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    public string ResolvedModelsPath => ModelsPath ?? Path.Combine(Home, "models");

    /// <summary>The settings the environment gives.</summary>
    public static ServerOptions FromEnvironment()
    {
        static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var options = new ServerOptions();
        return options with
        {
            Host = Variable("MODEL_RUNNER_HOST_ADDRESS") ?? options.Host,
            Port = Variable("MODEL_RUNNER_PORT") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : options.Port,
            ModelsPath = Variable("MODELS_PATH"),
            UnixSocket = Variable("MODEL_RUNNER_SOCKET"),
            TlsCertificatePath = Variable("MODEL_RUNNER_TLS_CERT"),
            TlsKeyPath = Variable("MODEL_RUNNER_TLS_KEY"),
            ApiKey = Variable("MODEL_RUNNER_API_KEY"),
            AllowedOrigins = Variable("MODEL_RUNNER_ORIGINS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            MemoryBytes = Variable("MODEL_RUNNER_MEMORY_BYTES") is { } bytes ? long.Parse(bytes, CultureInfo.InvariantCulture) : null,
            OrleansDashboard = Variable("MODEL_RUNNER_ORLEANS_DASHBOARD") is not ("0" or "false" or "off"),
            Cluster = Variable("MODEL_RUNNER_CLUSTER"),
            SiloPort = Variable("MODEL_RUNNER_SILO_PORT") is { } siloPort ? int.Parse(siloPort, CultureInfo.InvariantCulture) : null,
            Advertise = Variable("MODEL_RUNNER_ADVERTISE"),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {Port} is not between 0 and 65535 (--port, MODEL_RUNNER_PORT)", nameof(Port));
        }

        if (!System.Net.IPAddress.TryParse(Host, out _) && Host != "localhost")
        {
            throw new ArgumentException($"host '{Host}' is not an IP address (--host, MODEL_RUNNER_HOST_ADDRESS)", nameof(Host));
        }

        if (Cluster is not null && Port == 0)
        {
            throw new ArgumentException("a cluster node needs a fixed --port: its peers reach its API there", nameof(Port));
        }

        if (SiloPort is < 1 or > 65535)
        {
            throw new ArgumentException($"silo port {SiloPort} is not between 1 and 65535 (--silo-port, MODEL_RUNNER_SILO_PORT)", nameof(SiloPort));
        }

        if (TlsCertificatePath is null != TlsKeyPath is null)
        {
            throw new ArgumentException("HTTPS needs both a certificate and its key (--tls-cert and --tls-key, MODEL_RUNNER_TLS_CERT and MODEL_RUNNER_TLS_KEY)", nameof(TlsCertificatePath));
        }

        foreach (var (path, setting) in new[] { (TlsCertificatePath, "--tls-cert"), (TlsKeyPath, "--tls-key") })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new ArgumentException($"{setting}: no such file {path}", nameof(TlsCertificatePath));
            }
        }

        if (MemoryBytes is <= 0)
        {
            throw new ArgumentException("memory must be a positive number of bytes (MODEL_RUNNER_MEMORY_BYTES)", nameof(MemoryBytes));
        }
    }

    private static string DefaultHome() =>
        Environment.GetEnvironmentVariable("MODEL_RUNNER_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner");
}
