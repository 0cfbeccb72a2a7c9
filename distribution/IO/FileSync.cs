using System.Runtime.InteropServices;

namespace ModelRunner.Distribution.IO;

/// <summary>
/// Makes a rename durable: a rename is an update of the directory, and only an fsync of the directory itself puts
/// it on disk. .NET has no API for that, so it is three libc calls on Unix; Windows needs none (NTFS journals
/// metadata) and gets none.
/// </summary>
internal static partial class FileSync
{
    private const int ReadOnly = 0;

    // O_DIRECTORY differs between Linux and macOS; it only guards against opening a non-directory, so it is omitted.
    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot sync directory {path} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
