using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Reasoning;

/// <summary>
/// One step of a generation split into thinking and answer: <see cref="Thinking"/> is new thinking
/// text, <see cref="Update"/> carries the new answer text (its <c>Text</c>), every token decoded in
/// this step (thinking, answer, and the forced end of thinking), and on the last step the result.
/// </summary>
public sealed record ReasonedUpdate(string Thinking, GenerationUpdate Update);
