using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// The file a saved sequence lives in: a header with its <see cref="SequenceLayout"/>, its cache
/// key, the tokens its KV cells hold, and llama.cpp's state blob. Written atomically (temp file,
/// flush, rename).
/// </summary>
internal static class SequenceStateFile
{
    private static readonly byte[] Magic = "MRSEQv1\0"u8.ToArray();
    private const int FingerprintBytes = 32;
    private const int HeaderBytes = 8 + FingerprintBytes + 5 * 4 + 8 + 4;

    public static void Write(string path, SequenceLayout layout, string key, ReadOnlySpan<int> tokens, ReadOnlySpan<byte> state)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header, 0);
        Convert.FromHexString(layout.ModelFingerprint).CopyTo(header, 8);
        var fields = header.AsSpan(8 + FingerprintBytes);
        BinaryPrimitives.WriteInt32LittleEndian(fields, layout.Sequences);
        BinaryPrimitives.WriteInt32LittleEndian(fields[4..], layout.ContextSize);
        BinaryPrimitives.WriteInt32LittleEndian(fields[8..], layout.KeyType);
        BinaryPrimitives.WriteInt32LittleEndian(fields[12..], layout.ValueType);
        BinaryPrimitives.WriteInt32LittleEndian(fields[16..], tokens.Length);
        BinaryPrimitives.WriteInt64LittleEndian(fields[20..], state.Length);
        BinaryPrimitives.WriteInt32LittleEndian(fields[28..], keyBytes.Length);

        var temporary = path + ".partial";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                file.Write(header);
                file.Write(keyBytes);
                file.Write(MemoryMarshal.AsBytes(tokens));
                file.Write(state);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads the header and key only.</summary>
    /// <exception cref="SequenceStateException">The file is not a saved sequence or is truncated.</exception>
    public static (SequenceLayout Layout, string Key) ReadLayout(string path)
    {
        using var file = File.OpenRead(path);
        var header = ReadHeader(file, path);
        return (header.Layout, header.Key);
    }

    /// <summary>Reads tokens and state after checking the file was saved with <paramref name="expected"/>.</summary>
    /// <exception cref="SequenceStateException">Unreadable, truncated, or saved with another layout.</exception>
    public static (int[] Tokens, byte[] State) Read(string path, SequenceLayout expected)
    {
        using var file = File.OpenRead(path);
        var (layout, _, tokenCount, stateLength) = ReadHeader(file, path);
        if (expected.Incompatibility(layout) is { } reason)
        {
            throw new SequenceStateException($"the saved sequence {path} cannot be restored here: {reason}");
        }

        var tokens = new int[tokenCount];
        var state = new byte[stateLength];
        file.ReadExactly(MemoryMarshal.AsBytes(tokens.AsSpan()));
        file.ReadExactly(state);
        return (tokens, state);
    }

    private static (SequenceLayout Layout, string Key, int Tokens, long StateLength) ReadHeader(FileStream file, string path)
    {
        var header = new byte[HeaderBytes];
        if (file.Length < HeaderBytes || file.Read(header) != HeaderBytes || !header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new SequenceStateException($"{path} is not a saved sequence");
        }

        var fields = header.AsSpan(8 + FingerprintBytes);
        var tokens = BinaryPrimitives.ReadInt32LittleEndian(fields[16..]);
        var stateLength = BinaryPrimitives.ReadInt64LittleEndian(fields[20..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(fields[28..]);
        if (tokens < 0 || stateLength < 0 || keyLength is < 0 or > 4096 || HeaderBytes + keyLength + 4L * tokens + stateLength != file.Length)
        {
            throw new SequenceStateException($"the saved sequence {path} is truncated or damaged");
        }

        var key = new byte[keyLength];
        file.ReadExactly(key);

        var layout = new SequenceLayout(
            Convert.ToHexString(header, 8, FingerprintBytes),
            BinaryPrimitives.ReadInt32LittleEndian(fields),
            BinaryPrimitives.ReadInt32LittleEndian(fields[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[12..]));
        return (layout, Encoding.UTF8.GetString(key), tokens, stateLength);
    }

    /// <summary>A file name for a cache key that is safe on any file system.</summary>
    public static string FileNameFor(string key) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".seq";
}
