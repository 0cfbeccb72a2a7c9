namespace ModelRunner.Grains.Models;

/// <summary>One message of a chat prompt.</summary>
/// <param name="Role">Usually <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The message text.</param>
[GenerateSerializer, Immutable, Alias("modelrunner.prompt-message")]
public sealed record PromptMessage([property: Id(0)] string Role, [property: Id(1)] string Content);
