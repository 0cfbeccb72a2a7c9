namespace ModelRunner.Engine.Inference;

/// <summary>
/// One step of a streamed generation: new text (never half a character, never part of a stop
/// string), and on the last update the <see cref="Result"/>.
/// </summary>
/// <param name="Text">Text generated since the previous update; may be empty on the last one.</param>
/// <param name="Result">Set on the last update only.</param>
public sealed record GenerationUpdate(string Text, GenerationResult? Result = null);
