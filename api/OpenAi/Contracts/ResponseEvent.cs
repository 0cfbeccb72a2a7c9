using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A server-sent event of a streamed response; the fields set depend on <see cref="Type"/>.</summary>
public sealed record ResponseEvent(string Type, int SequenceNumber)
{
    public ResponseObject? Response { get; init; }

    public int? OutputIndex { get; init; }

    public int? ContentIndex { get; init; }

    public string? ItemId { get; init; }

    public MessageItem? Item { get; init; }

    public TextPart? Part { get; init; }

    public string? Delta { get; init; }

    public string? Text { get; init; }
}
