using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRunner.Api.Anthropic.Contracts;

/// <summary>A stream delta: <c>text_delta</c>, <c>input_json_delta</c>, <c>thinking_delta</c>, <c>signature_delta</c>, or the message's stop reason.</summary>
public sealed record StreamDelta(string? Type = null, string? Text = null, string? PartialJson = null, string? StopReason = null, string? StopSequence = null, string? Thinking = null, string? Signature = null);
