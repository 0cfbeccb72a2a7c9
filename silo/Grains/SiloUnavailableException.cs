namespace ModelRunner.Silo.Grains;

/// <summary>A grain call arrived after the silo began shutting down; nothing new is activated then.</summary>
public sealed class SiloUnavailableException()
    : InvalidOperationException("The silo is shutting down; it accepts no more grain calls.");
