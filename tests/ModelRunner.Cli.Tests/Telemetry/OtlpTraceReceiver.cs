using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelRunner.Distribution.Testing;

namespace ModelRunner.Cli.Tests.Telemetry;

/// <summary>
/// A loopback OTLP/HTTP collector for traces: accepts <c>POST /v1/traces</c> with a protobuf
/// <c>ExportTraceServiceRequest</c> and keeps the spans. The message is read with a small wire-format
/// walker (no OTLP proto package is available here): only the fields the tests look at.
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>What <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set to; the exporter appends <c>v1/traces</c>.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => _spans;

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        OtlpTraceReceiver? receiver = null;
        var (app, endpoint) = await LoopbackHost.StartAsync(app => app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            foreach (var span in Parse(body.ToArray()))
            {
                receiver!._spans.Enqueue(span);
            }

            // An empty ExportTraceServiceResponse: everything accepted.
            context.Response.ContentType = "application/x-protobuf";
        }));
        receiver = new OtlpTraceReceiver(app, endpoint);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ExportTraceServiceRequest { 1: ResourceSpans { 2: ScopeSpans { 1: InstrumentationScope { 1: name }, 2: Span } } }
    // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name }
    private static IEnumerable<ReceivedSpan> Parse(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Messages(request, 1))
        {
            foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
            {
                var scope = Protobuf.Messages(scopeSpans, 1).Select(s => Protobuf.String(s, 1)).FirstOrDefault() ?? "";
                foreach (var span in Protobuf.Messages(scopeSpans, 2))
                {
                    yield return new ReceivedSpan(scope, Protobuf.String(span, 5), Protobuf.Hex(span, 1), Protobuf.Hex(span, 2), Protobuf.Hex(span, 4));
                }
            }
        }
    }
}
