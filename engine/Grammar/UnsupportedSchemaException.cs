namespace ModelRunner.Engine.Grammar;

/// <summary>
/// A JSON Schema uses a keyword that <see cref="JsonGrammar"/> and <see cref="JsonSchemaValidator"/> do not
/// support, uses a supported one in a way they cannot honour exactly, or is malformed. The message names the
/// keyword and the JSON Pointer of the schema object it occurs in, e.g.
/// <c>unsupported JSON Schema keyword "pattern" at /properties/name</c>. Constraints are never dropped
/// silently: a grammar that ignored one would let the model produce JSON the caller's schema rejects.
/// </summary>
public sealed class UnsupportedSchemaException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public UnsupportedSchemaException()
        : base("the JSON Schema is not supported")
    {
        Path = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public UnsupportedSchemaException(string message)
        : base(message)
    {
        Path = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public UnsupportedSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>Creates the exception for <paramref name="keyword"/> in the schema object at <paramref name="path"/>.</summary>
    /// <param name="keyword">The offending keyword, or null when the problem is the schema object itself.</param>
    /// <param name="path">The JSON Pointer of the schema object within the whole schema; empty for the root.</param>
    /// <param name="reason">What exactly is not supported, appended to the message; null for none.</param>
    public UnsupportedSchemaException(string? keyword, string path, string? reason = null)
        : base(Format(keyword, path, reason))
    {
        ArgumentNullException.ThrowIfNull(path);
        Keyword = keyword;
        Path = path;
    }

    /// <summary>The unsupported keyword, or null when the problem is not one keyword (e.g. a schema that is not an object).</summary>
    public string? Keyword { get; }

    /// <summary>The JSON Pointer of the schema object where the problem is; empty for the root schema.</summary>
    public string Path { get; }

    private static string Format(string? keyword, string path, string? reason)
    {
        var where = path.Length == 0 ? "the root" : path;
        var head = keyword is null ? $"unsupported JSON Schema at {where}" : $"unsupported JSON Schema keyword \"{keyword}\" at {where}";
        return reason is null ? head : $"{head}: {reason}";
    }
}
