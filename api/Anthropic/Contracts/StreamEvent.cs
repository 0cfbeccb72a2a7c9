using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>One server-sent event of a streamed message; the fields set depend on <see cref="Type"/>.</summary>
public sealed record StreamEvent(string Type)
{
    public Message? Message { get; init; }

    public int? Index { get; init; }

    public ContentBlock? ContentBlock { get; init; }

    public StreamDelta? Delta { get; init; }

    public MessageUsage? Usage { get; init; }
}
