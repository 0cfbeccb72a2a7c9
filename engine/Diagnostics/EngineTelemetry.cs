using System.Diagnostics;

namespace ModelRunner.Engine.Diagnostics;

/// <summary>The engine's spans: one per generation and per model load. Listened to only when a host traces.</summary>
public static class EngineTelemetry
{
    public const string SourceName = "ModelRunner.Engine";

    internal static readonly ActivitySource Source = new(SourceName);
}
