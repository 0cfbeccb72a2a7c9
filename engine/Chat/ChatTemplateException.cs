namespace ModelRunner.Engine.Chat;

/// <summary>A model's chat template is not one llama.cpp can apply.</summary>
public sealed class ChatTemplateException : Exception
{
    public ChatTemplateException(string message) : base(message) { }
}
