using System.Diagnostics;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>
/// A real small file system: a tmpfs of a fixed size mounted on a temporary folder, so a test can fill the disk
/// for real. Mounting needs root (CAP_SYS_ADMIN); without it the test fails saying so, rather than skipping.
/// </summary>
public sealed class SizeLimitedFolder : IDisposable
{
    private SizeLimitedFolder(string path) => Path = path;

    public string Path { get; }

    public static SizeLimitedFolder Mount(long bytes)
    {
        var path = Directory.CreateTempSubdirectory("modelrunner-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                $"mounting a {bytes}-byte tmpfs on {path} failed (exit {code}: {error.Trim()}); the full-disk tests need root (CAP_SYS_ADMIN) to mount one");
        }

        return new SizeLimitedFolder(path);
    }

    /// <summary>Writes a file of zeros until the file system is full.</summary>
    public void Fill(string name)
    {
        using var file = new FileStream(System.IO.Path.Combine(Path, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full: what we came for.
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
