using System.Diagnostics;

namespace ModelRunner.Distribution.Diagnostics;

/// <summary>The distribution's spans: one per pull, push and verification. Listened to only when a host traces.</summary>
public static class DistributionTelemetry
{
    public const string SourceName = "ModelRunner.Distribution";

    internal static readonly ActivitySource Source = new(SourceName);
}
