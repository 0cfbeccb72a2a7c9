namespace ModelRunner.Api.Ollama;

/// <summary>One instruction of a Modelfile: its name in upper case (<c>FROM</c>, <c>PARAMETER</c>…) and its argument, unquoted.</summary>
internal sealed record ModelfileInstruction(string Name, string Value);
