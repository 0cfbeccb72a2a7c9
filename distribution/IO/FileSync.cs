using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>
    /// Asks Linux to start writing a written range of a file to disk now, without waiting for it. A large download
    /// that does this as it goes finds most of its data already on disk when it syncs at the end, so the sync no
    /// longer adds the whole write-back time to the download. A hint: elsewhere, or on failure, it does nothing.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux() && !file.IsInvalid)
        {
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
    }

    private const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
