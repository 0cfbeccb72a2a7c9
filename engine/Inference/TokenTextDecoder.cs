using System.Text;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Turns a stream of tokens into text. A token's bytes can end in the middle of a multi-byte
/// UTF-8 character (byte-fallback and byte-level BPE vocabularies do this); the stateful UTF-8
/// decoder holds such bytes back until the character is complete, so no piece of text ever
/// carries half a character. Not thread-safe.
/// </summary>
internal sealed class TokenTextDecoder(LlamaModel model, bool renderSpecial = false)
{
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private byte[] _bytes = new byte[64];
    private char[] _chars = new char[64];

    /// <summary>The text completed by this token; empty while a character is still incomplete.</summary>
    public string Append(int token)
    {
        var length = model.TokenToPiece(token, ref _bytes, renderSpecial);
        return Decode(_bytes.AsSpan(0, length), flush: false);
    }

    /// <summary>Whatever is left at the end; an incomplete character becomes U+FFFD.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _utf8.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }

        var count = _utf8.GetChars(bytes, _chars, flush);
        return count == 0 ? "" : new string(_chars, 0, count);
    }
}
