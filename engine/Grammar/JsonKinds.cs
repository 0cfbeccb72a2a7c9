namespace ModelRunner.Engine.Grammar;

/// <summary>The JSON Schema instance types a schema admits (its <c>type</c> keyword).</summary>
[Flags]
internal enum JsonKinds
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    String = 16,

    /// <summary>Numbers with a zero fractional part (JSON Schema counts <c>1.0</c> as an integer).</summary>
    Integer = 32,

    /// <summary>Every number, integers included.</summary>
    Number = 64,

    All = Null | Boolean | Object | Array | String | Integer | Number,
}
