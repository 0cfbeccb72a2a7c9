namespace ModelRunner.Grains.Pulls;

/// <summary>What a <see cref="PullProgress"/> reports.</summary>
[GenerateSerializer, Alias("modelrunner.pull-progress-kind")]
public enum PullProgressKind
{
    Status,

    Progress,

    Warning,

    Success,
}
