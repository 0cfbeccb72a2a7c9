namespace ModelRunner.Api.Tests.Support;

/// <summary>
/// Tests that watch something process-wide (a meter's counts, llama.cpp's log, the managed heap):
/// they run alone, after every parallel collection, so no other test's server moves what they see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide";
}
