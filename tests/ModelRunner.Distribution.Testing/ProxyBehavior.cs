namespace ModelRunner.Distribution.Testing;

/// <summary>
/// What <see cref="TcpProxy"/> does to the bytes a server sends back, per connection (numbered from 0 in accept
/// order). Every member is optional; the default forwards everything untouched.
/// </summary>
public sealed record ProxyBehavior
{
    /// <summary>After how many server bytes to cut connection N (null: never).</summary>
    public Func<int, long?>? CutAfter { get; init; }

    /// <summary>Cut with a TCP reset (bytes in flight are lost) rather than a clean close, for connection N.</summary>
    public Func<int, bool>? Abortive { get; init; }

    /// <summary>Stop cutting once the proxy has cut this many connections (null: no limit).</summary>
    public int? MaxCuts { get; init; }

    /// <summary>Flip the server byte at this offset of every connection.</summary>
    public long? CorruptAt { get; init; }

    /// <summary>Stop forwarding server bytes after this many on connection N, holding it open (null: never).</summary>
    public Func<int, long?>? StallAfter { get; init; }

    /// <summary>Forward server bytes at most this fast, in bytes per second.</summary>
    public long? BytesPerSecond { get; init; }

    public static ProxyBehavior PassThrough { get; } = new();
}
