namespace ModelRunner.Engine.Chat;

/// <summary>One message of a conversation, as a chat template sees it.</summary>
/// <param name="Role">Usually <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatMessage(string Role, string Content);
