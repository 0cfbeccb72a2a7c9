namespace ModelRunner.Cli.Tests.Telemetry;

/// <summary>One span as an OTLP exporter sent it: ids in hex, the parent empty for a root span.</summary>
internal sealed record ReceivedSpan(string Scope, string Name, string TraceId, string SpanId, string ParentSpanId);
