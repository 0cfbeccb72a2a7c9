namespace ModelRunner.Distribution.IO;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old content or the new, never a mix: write a
/// temporary file on the same file system, fsync it, rename it over the target, fsync the directory.
/// </summary>
internal static class AtomicFile
{
    /// <exception cref="StorageFullException">The disk is full; the temporary file is removed and the target untouched.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, string tempPath, string storeRoot)
    {
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, path, overwrite: true);
            FileSync.Directory(Path.GetDirectoryName(path)!);
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e))
        {
            TryDelete(tempPath);
            throw StorageErrors.DiskFull(storeRoot, Path.GetFileName(path), e);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Moves a complete, synced file into its content-addressed place. When the target already exists (another
    /// writer got there first with the same content) the source is dropped instead.
    /// </summary>
    public static void Commit(string source, string target)
    {
        try
        {
            File.Move(source, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            TryDelete(source);
        }

        FileSync.Directory(Path.GetDirectoryName(target)!);
    }

    /// <summary>Deletes a file, ignoring a missing one; a failure to clean up must not hide the error being reported.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next garbage collection or purge.
        }
    }
}
