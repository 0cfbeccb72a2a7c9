using ModelRunner.Distribution.Registry;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>Distribution instances for tests: no configured credentials, quick retries, every progress event.</summary>
public static class Distributions
{
    public static IModelDistribution Create(string storePath, Action<ModelDistributionOptions>? configure = null)
    {
        var options = new ModelDistributionOptions
        {
            StorePath = storePath,
            Credentials = RegistryCredentials.None,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            ProgressInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return ModelDistribution.Create(options);
    }
}
