using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A server-sent event of a streamed response; the fields set depend on <see cref="Type"/>.</summary>
public sealed record ResponseEvent(string Type, int SequenceNumber)
{
    public ResponseObject? Response { get; init; }

    public int? OutputIndex { get; init; }

    public int? ContentIndex { get; init; }

    public string? ItemId { get; init; }

    /// <summary>A <see cref="MessageItem"/> or a <see cref="FunctionCallItem"/>.</summary>
    public object? Item { get; init; }

    public TextPart? Part { get; init; }

    public string? Delta { get; init; }

    public string? Text { get; init; }

    /// <summary>A function call's whole arguments (<c>response.function_call_arguments.done</c>).</summary>
    public string? Arguments { get; init; }

    /// <summary>The function a call's arguments are for (<c>response.function_call_arguments.done</c>).</summary>
    public string? Name { get; init; }
}
