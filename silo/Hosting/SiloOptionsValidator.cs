using Microsoft.Extensions.Options;

namespace ModelRunner.Silo.Hosting;

/// <summary>Checks <see cref="SiloOptions"/> at start-up; each failure names the setting and its rule.</summary>
internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"SiloOptions.DataDirectory must name a directory (it defaults to ${SiloOptions.HomeVariable} or ~/.modelrunner).");
        }

        if (options.DefaultKeepAlive < TimeSpan.Zero && options.DefaultKeepAlive != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"SiloOptions.DefaultKeepAlive must be ≥ 0 or Timeout.InfiniteTimeSpan; it is {options.DefaultKeepAlive}.");
        }

        if (options.CollectionInterval <= TimeSpan.Zero || options.CollectionInterval > TimeSpan.FromSeconds(1))
        {
            failures.Add($"SiloOptions.CollectionInterval must be more than 0 and at most 1 second, so that a keep-alive of 0 means right after the call; it is {options.CollectionInterval}.");
        }

        if (options.DeactivationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"SiloOptions.DeactivationTimeout must be more than 0; it is {options.DeactivationTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
