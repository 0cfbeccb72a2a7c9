namespace ModelRunner.Distribution;

/// <summary>Creates the model distribution service.</summary>
public static class ModelDistribution
{
    /// <summary>Creates the service over the store at <see cref="ModelDistributionOptions.StorePath"/> (created when absent).</summary>
    /// <param name="options">Settings; null means <see cref="ModelDistributionOptions.FromEnvironment"/>.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <exception cref="DistributionException">The store folder exists and is not a model store.</exception>
    public static IModelDistribution Create(ModelDistributionOptions? options = null) => new DistributionService(options ?? ModelDistributionOptions.FromEnvironment());
}
