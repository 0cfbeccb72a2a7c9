namespace ModelRunner.Distribution.Tests;

public sealed class ModelDistributionOptionsTests
{
    [Theory]
    [InlineData(nameof(ModelDistributionOptions.MaxConcurrentTransfers))]
    [InlineData(nameof(ModelDistributionOptions.MaxRetries))]
    [InlineData(nameof(ModelDistributionOptions.StallTimeout))]
    [InlineData(nameof(ModelDistributionOptions.PushChunkSize))]
    [InlineData(nameof(ModelDistributionOptions.StorePath))]
    public void Create_SettingOutOfRange_FailsNamingTheSetting(string setting)
    {
        using var folder = new TempFolder();
        var options = new ModelDistributionOptions { StorePath = folder.Path };
        switch (setting)
        {
            case nameof(ModelDistributionOptions.MaxConcurrentTransfers): options.MaxConcurrentTransfers = 0; break;
            case nameof(ModelDistributionOptions.MaxRetries): options.MaxRetries = -1; break;
            case nameof(ModelDistributionOptions.StallTimeout): options.StallTimeout = TimeSpan.Zero; break;
            case nameof(ModelDistributionOptions.PushChunkSize): options.PushChunkSize = 1000; break;
            case nameof(ModelDistributionOptions.StorePath): options.StorePath = " "; break;
        }

        var error = Assert.Throws<ArgumentException>(() => ModelDistribution.Create(options));

        Assert.Contains($"ModelDistributionOptions.{setting}", error.Message, StringComparison.Ordinal);
    }
}
