namespace ModelRunner.Engine.Inference;

/// <summary>
/// A request option is out of range, or its input cannot be used (an empty prompt, a grammar
/// that does not parse). The caller's mistake, not the engine's: <see cref="ArgumentException.ParamName"/>
/// names the option, so a server can answer 400 for exactly this type and treat any other
/// <see cref="ArgumentException"/> as its own bug.
/// </summary>
public sealed class InvalidOptionException(string option, string message) : ArgumentException(message, option)
{
    /// <summary>The message without the " (Parameter 'x')" suffix <see cref="ArgumentException"/> appends.</summary>
    public string Reason { get; } = message;
}
