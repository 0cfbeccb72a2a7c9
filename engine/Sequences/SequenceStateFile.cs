using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Sequences;

/// <summary>
/// The file a saved sequence lives in: a header with its <see cref="SequenceLayout"/>, its cache
/// key, the tokens its KV cells hold, and llama.cpp's state blob. Written atomically (temp file,
/// rename), and flushed to disk first when it must outlive the process.
/// </summary>
internal static class SequenceStateFile
{
    private static readonly byte[] Magic = "MRSEQv1\0"u8.ToArray();
    private const int FingerprintBytes = 32;
    private const int HeaderBytes = 8 + FingerprintBytes + 5 * 4 + 8 + 4;
    private const int Chunk = 64 << 20;

    /// <param name="path">The file.</param>
    /// <param name="layout">The context the state came from.</param>
    /// <param name="key">The conversation's cache key.</param>
    /// <param name="tokens">The tokens the cells hold.</param>
    /// <param name="state">llama.cpp's state blob.</param>
    /// <param name="durable">Flush to disk before the rename: for files that must survive a crash, not for a spill cache.</param>
    public static void Write(string path, SequenceLayout layout, string key, ReadOnlySpan<int> tokens, NativeBuffer state, bool durable)
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
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                long offset = 0;
                RandomAccess.Write(file, header, offset);
                offset += header.Length;
                RandomAccess.Write(file, keyBytes, offset);
                offset += keyBytes.Length;
                RandomAccess.Write(file, MemoryMarshal.AsBytes(tokens), offset);
                offset += tokens.Length * sizeof(int);
                for (long done = 0; done < state.Length; done += Chunk)
                {
                    RandomAccess.Write(file, state.Slice(done, Chunk), offset + done);
                }

                if (durable)
                {
                    RandomAccess.FlushToDisk(file);
                }
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
        using var file = File.OpenHandle(path);
        var header = ReadHeader(file, path);
        return (header.Layout, header.Key);
    }

    /// <summary>Reads tokens and state after checking the file was saved with <paramref name="expected"/>.</summary>
    /// <exception cref="SequenceStateException">Unreadable, truncated, or saved with another layout.</exception>
    public static (int[] Tokens, NativeBuffer State) Read(string path, SequenceLayout expected, NativeBufferPool pool)
    {
        using var file = File.OpenHandle(path);
        var (layout, key, tokenCount, stateLength) = ReadHeader(file, path);
        if (expected.Incompatibility(layout) is { } reason)
        {
            throw new SequenceStateException($"the saved sequence {path} cannot be restored here: {reason}");
        }

        var tokens = new int[tokenCount];
        long offset = HeaderBytes + Encoding.UTF8.GetByteCount(key);
        ReadExactly(file, MemoryMarshal.AsBytes(tokens.AsSpan()), offset, path);
        offset += tokenCount * sizeof(int);
        var state = pool.Rent(stateLength);
        try
        {
            for (long done = 0; done < stateLength; done += Chunk)
            {
                ReadExactly(file, state.Slice(done, Chunk), offset + done, path);
            }

            return (tokens, state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>A file name for a cache key that is safe on any file system.</summary>
    public static string FileNameFor(string key) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".seq";

    private static (SequenceLayout Layout, string Key, int Tokens, long StateLength) ReadHeader(SafeFileHandle file, string path)
    {
        var length = RandomAccess.GetLength(file);
        var header = new byte[HeaderBytes];
        if (length < HeaderBytes || RandomAccess.Read(file, header, 0) != HeaderBytes || !header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new SequenceStateException($"{path} is not a saved sequence");
        }

        var fields = header.AsSpan(8 + FingerprintBytes);
        var tokens = BinaryPrimitives.ReadInt32LittleEndian(fields[16..]);
        var stateLength = BinaryPrimitives.ReadInt64LittleEndian(fields[20..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(fields[28..]);
        if (tokens < 0 || stateLength < 0 || keyLength is < 0 or > 4096 || HeaderBytes + keyLength + 4L * tokens + stateLength != length)
        {
            throw new SequenceStateException($"the saved sequence {path} is truncated or damaged");
        }

        var key = new byte[keyLength];
        ReadExactly(file, key, HeaderBytes, path);
        var layout = new SequenceLayout(
            Convert.ToHexString(header, 8, FingerprintBytes),
            BinaryPrimitives.ReadInt32LittleEndian(fields),
            BinaryPrimitives.ReadInt32LittleEndian(fields[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[12..]));
        return (layout, Encoding.UTF8.GetString(key), tokens, stateLength);
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset, string path)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new SequenceStateException($"the saved sequence {path} is truncated");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
