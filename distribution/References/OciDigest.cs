using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ModelRunner.Distribution.References;

/// <summary>
/// A content digest, <c>sha256:</c> followed by 64 lowercase hex digits: the only algorithm registries use for model
/// artifacts. Because a digest names files in the store, only this exact shape is accepted, which makes it safe to
/// put in a path. Immutable; equality is by value.
/// </summary>
public sealed record OciDigest
{
    /// <summary>The algorithm prefix, including the colon.</summary>
    public const string Sha256Prefix = "sha256:";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private OciDigest(string hex) => Hex = hex;

    /// <summary>The 64 lowercase hex digits.</summary>
    public string Hex { get; }

    /// <summary>The first 12 hex digits, as <c>docker model ls</c> shows a model id.</summary>
    public string ShortId => Hex[..12];

    /// <summary>Parses <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
    /// <exception cref="InvalidReferenceException">The text is not such a digest; the message says why.</exception>
    public static OciDigest Parse(string text) =>
        TryParse(text, out var digest, out var problem) ? digest : throw new InvalidReferenceException(problem);

    /// <summary>Parses <c>sha256:&lt;64 lowercase hex&gt;</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out OciDigest? digest) =>
        TryParse(text, out digest, out _);

    /// <summary>Wraps 64 lowercase hex digits.</summary>
    /// <exception cref="InvalidReferenceException">The text is not 64 lowercase hex digits.</exception>
    public static OciDigest FromHex(string hex) => Parse(Sha256Prefix + hex);

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static OciDigest Compute(ReadOnlySpan<byte> data) => FromHash(SHA256.HashData(data));

    /// <summary>Wraps a 32-byte SHA-256 hash.</summary>
    public static OciDigest FromHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a SHA-256 hash has {SHA256.HashSizeInBytes} bytes, not {hash.Length}", nameof(hash));
        }

        return new OciDigest(Convert.ToHexStringLower(hash));
    }

    /// <summary>Is <paramref name="text"/> exactly 64 lowercase hex digits?</summary>
    internal static bool IsHex64(ReadOnlySpan<char> text) => text.Length == 64 && !text.ContainsAnyExcept(LowerHex);

    internal static bool TryParse(string? text, [NotNullWhen(true)] out OciDigest? digest, out string problem)
    {
        digest = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "a digest is empty; it must be sha256: followed by 64 lowercase hex digits";
            return false;
        }

        if (!text.StartsWith(Sha256Prefix, StringComparison.Ordinal))
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            problem = colon > 0
                ? $"digest '{text}' uses algorithm '{text[..colon]}'; only sha256 is supported"
                : $"digest '{text}' has no algorithm; it must be sha256: followed by 64 lowercase hex digits";
            return false;
        }

        var hex = text.AsSpan(Sha256Prefix.Length);
        if (!IsHex64(hex))
        {
            problem = hex.Length != 64
                ? $"digest '{text}' has {hex.Length} hex digits; sha256 needs 64"
                : $"digest '{text}' has characters other than lowercase hex digits";
            return false;
        }

        digest = new OciDigest(hex.ToString());
        problem = "";
        return true;
    }

    /// <summary><c>sha256:&lt;hex&gt;</c>.</summary>
    public override string ToString() => Sha256Prefix + Hex;
}
