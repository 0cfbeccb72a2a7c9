namespace ModelRunner.Distribution.Store;

/// <summary>Opens local model stores.</summary>
public static class ModelStore
{
    /// <summary>The environment variable that overrides <see cref="DefaultPath"/>, as in Docker Model Runner.</summary>
    public const string PathVariable = "MODELS_PATH";

    /// <summary><c>$MODELS_PATH</c> when set, else <c>~/.modelrunner/models</c>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".modelrunner", "models");

    /// <summary>Opens (creating when absent) the store at <paramref name="rootPath"/>, or at <see cref="DefaultPath"/> when null.</summary>
    /// <exception cref="DistributionException">The folder is not empty and is not a model store.</exception>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static IModelStore Open(string? rootPath = null) => new LocalModelStore(rootPath ?? DefaultPath);
}
