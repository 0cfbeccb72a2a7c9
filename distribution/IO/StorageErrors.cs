namespace ModelRunner.Distribution.IO;

/// <summary>Recognises a full disk among I/O errors, so it can be reported as one instead of as a generic failure.</summary>
internal static class StorageErrors
{
    // On Unix, .NET puts the raw errno in HResult for errors it has no specific exception type for.
    private const int NoSpace = 28;      // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT on Linux
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool IsDiskFull(Exception exception) =>
        exception is IOException { HResult: NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull };

    /// <summary>A <see cref="StorageFullException"/> that says what was being written and how much room is left.</summary>
    public static StorageFullException DiskFull(string storeRoot, string what, Exception cause)
    {
        var free = FreeBytes(storeRoot);
        var room = free is { } bytes ? $"{bytes / (1024.0 * 1024.0):F1} MiB free" : "free space unknown";
        return new StorageFullException($"no space left in the model store at {storeRoot} while writing {what} ({room}); free some space and try again", cause);
    }

    /// <summary>The bytes available to this user on the file system holding <paramref name="path"/>, or null when unknown.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
