using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelRunner.Distribution;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Store;

namespace ModelRunner.Cli.Tests.Crash;

/// <summary>
/// A server home that outlives its <c>serve</c> processes: start one, kill it with <c>kill -9</c>,
/// start the next on the same files, and check the model store with the store's own verifier
/// while no server holds it.
/// </summary>
internal sealed class CrashHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("modelrunner-cli-crash-").FullName;

    public string Store => System.IO.Path.Combine(Path, "models");

    /// <summary>Partial downloads in the store (<c>blobs/sha256/HEX.incomplete</c>): what a killed pull leaves to resume from.</summary>
    public IEnumerable<FileInfo> Partials => Directory.Exists(System.IO.Path.Combine(Store, "blobs"))
        ? new DirectoryInfo(System.IO.Path.Combine(Store, "blobs")).EnumerateFiles("*.incomplete", SearchOption.AllDirectories)
        : [];

    public Task<ServeProcess> ServeAsync(params string[] arguments) => ServeProcess.StartAsync(Path, arguments);

    /// <summary>Runs the store's integrity check (no repair) on the files the last server left.</summary>
    public async Task<IntegrityReport> VerifyAsync()
    {
        using var distribution = ModelDistribution.Create(new ModelDistributionOptions { StorePath = Store, Credentials = RegistryCredentials.None });
        return await distribution.Store.VerifyAsync(repair: false);
    }

    public static HttpClient Client(ServeProcess server) => new() { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>The tags of every model the server lists.</summary>
    public static async Task<IReadOnlyList<string>> TagsAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonArray>("/models"))!.SelectMany(model => model!["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()))];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
