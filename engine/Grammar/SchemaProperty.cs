namespace ModelRunner.Engine.Grammar;

/// <summary>A property an object schema declares, in the order the grammar writes it.</summary>
internal sealed record SchemaProperty(string Name, SchemaNode Schema, bool Required);
