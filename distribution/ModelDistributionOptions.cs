using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Distribution;

/// <summary>
/// Settings of <see cref="ModelDistribution.Create"/>. The defaults are plain values; <see cref="FromEnvironment"/>
/// applies the environment variables users of Docker Model Runner and the Hugging Face tools already set.
/// Validated when the distribution is created: a bad value fails fast with a message naming the setting.
/// </summary>
public sealed class ModelDistributionOptions
{
    /// <summary>The Hugging Face Hub.</summary>
    public static readonly Uri DefaultHuggingFaceEndpoint = new("https://huggingface.co/");

    /// <summary>The store's root folder. Default <c>~/.modelrunner/models</c> (<c>$MODELS_PATH</c> with <see cref="FromEnvironment"/>).</summary>
    public string StorePath { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner", "models");

    /// <summary>Where registry credentials come from. Default <see cref="RegistryCredentials.Default"/> (environment, then Docker's config file).</summary>
    public IRegistryCredentialProvider Credentials { get; set; } = RegistryCredentials.Default();

    /// <summary>
    /// Registries (<c>host[:port]</c>) reached over plain HTTP, or <c>*</c> for all. Loopback registries always are.
    /// Default empty (<c>INSECURE_REGISTRY=true</c>, or a comma-separated host list, with <see cref="FromEnvironment"/>).
    /// </summary>
    public ICollection<string> InsecureRegistries { get; } = new List<string>();

    /// <summary>The Hugging Face Hub's base URL. Default <c>https://huggingface.co/</c> (<c>$HF_ENDPOINT</c> with <see cref="FromEnvironment"/>).</summary>
    public Uri HuggingFaceEndpoint { get; set; } = DefaultHuggingFaceEndpoint;

    /// <summary>The Hub token for gated and private repositories. Default none (<c>$HF_TOKEN</c> with <see cref="FromEnvironment"/>).</summary>
    public string? HuggingFaceToken { get; set; }

    /// <summary>How many blobs move at once in one pull or push. Default 4; 1 to 64.</summary>
    public int MaxConcurrentTransfers { get; set; } = 4;

    /// <summary>Retries of a transfer that makes no progress (a transfer that does keeps going). Default 5; 0 to 100.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first backoff delay, doubled per retry without progress and capped at 10 s. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a download may receive nothing before the connection is dropped and the download resumed
    /// on a new one; also the timeout of small requests. Default 30 s.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Uploads larger than this go in chunks of this size (PATCH requests); 0 uploads every blob in one PUT.
    /// Default 0, which every registry supports and is fastest.</summary>
    public long PushChunkSize { get; set; }

    /// <summary>The least time between two progress events of one layer. Default 100 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The User-Agent of every request. Default <c>modelrunner</c>.</summary>
    public string UserAgent { get; set; } = "modelrunner";

    /// <summary>The clock for backoff delays, token expiry and creation times. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where pulls, pushes, packaging and store checks are logged. Default: nowhere.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The defaults with the environment applied: <c>MODELS_PATH</c>, <c>INSECURE_REGISTRY</c>, <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>.</summary>
    public static ModelDistributionOptions FromEnvironment()
    {
        var options = new ModelDistributionOptions { StorePath = ModelStore.DefaultPath };
        if (Environment.GetEnvironmentVariable("INSECURE_REGISTRY") is { Length: > 0 } insecure)
        {
            foreach (var host in insecure.Equals("true", StringComparison.OrdinalIgnoreCase) ? ["*"] : insecure.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.InsecureRegistries.Add(host);
            }
        }

        if (Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } endpoint)
        {
            options.HuggingFaceEndpoint = Uri.TryCreate(endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"HF_ENDPOINT '{endpoint}' is not an absolute URL");
        }

        options.HuggingFaceToken = Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } token ? token : null;
        return options;
    }

    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(StorePath), nameof(StorePath), "must name a folder");
        Require(Credentials is not null, nameof(Credentials), "must not be null");
        Require(HuggingFaceEndpoint is { IsAbsoluteUri: true } && HuggingFaceEndpoint.Scheme is "http" or "https", nameof(HuggingFaceEndpoint), "must be an absolute http(s) URL");
        Require(MaxConcurrentTransfers is >= 1 and <= 64, nameof(MaxConcurrentTransfers), $"is {MaxConcurrentTransfers}; it must be 1 to 64");
        Require(MaxRetries is >= 0 and <= 100, nameof(MaxRetries), $"is {MaxRetries}; it must be 0 to 100");
        Require(RetryBaseDelay >= TimeSpan.Zero && RetryBaseDelay <= TimeSpan.FromMinutes(1), nameof(RetryBaseDelay), $"is {RetryBaseDelay}; it must be 0 to 1 minute");
        Require(StallTimeout > TimeSpan.Zero && StallTimeout <= TimeSpan.FromHours(1), nameof(StallTimeout), $"is {StallTimeout}; it must be positive and at most an hour");
        Require(PushChunkSize == 0 || PushChunkSize >= 64 * 1024, nameof(PushChunkSize), $"is {PushChunkSize}; it must be 0 (no chunks) or at least 64 KiB");
        Require(ProgressInterval >= TimeSpan.Zero, nameof(ProgressInterval), "must not be negative");
        Require(!string.IsNullOrWhiteSpace(UserAgent), nameof(UserAgent), "must not be empty");
        Require(TimeProvider is not null, nameof(TimeProvider), "must not be null");
        Require(Logger is not null, nameof(Logger), "must not be null");
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(ModelDistributionOptions)}.{setting} {problem}", setting);
        }
    }
}
