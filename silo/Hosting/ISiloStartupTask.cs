namespace ModelRunner.Silo.Hosting;

/// <summary>
/// Implemented by a silo service that must be ready before the silo serves (e.g. storage that
/// creates or migrates its schema), so a broken setup fails the start instead of the first call.
/// </summary>
internal interface ISiloStartupTask
{
    Task StartAsync(CancellationToken cancellationToken);
}
