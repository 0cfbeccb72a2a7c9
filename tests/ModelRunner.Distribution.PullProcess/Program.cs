using ModelRunner.Distribution;
using ModelRunner.Distribution.Registry;
using ModelRunner.Distribution.Transfer;

// PullProcess STORE REFERENCE: pulls REFERENCE into the store at STORE, printing one line per progress event
// ("progress DIGEST CURRENT SIZE"), then "success ID", or "error MESSAGE" with exit code 1.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PullProcess STORE REFERENCE");
    return 2;
}

using var distribution = ModelDistribution.Create(new ModelDistributionOptions
{
    StorePath = args[0],
    Credentials = RegistryCredentials.None,
    ProgressInterval = TimeSpan.Zero,
});

try
{
    await foreach (var item in distribution.PullAsync(args[1]))
    {
        var line = item switch
        {
            { Kind: TransferEventKind.Progress, Layer: { } layer } => $"progress {layer.Digest} {layer.Current} {layer.Size}",
            { Kind: TransferEventKind.Success, Model: { } model } => $"success {model.Id}",
            _ => $"{item.Kind.ToString().ToLowerInvariant()} {item.Message}",
        };
        Console.WriteLine(line);
        Console.Out.Flush();
    }

    return 0;
}
catch (DistributionException e)
{
    Console.WriteLine($"error {e.Message}");
    return 1;
}
