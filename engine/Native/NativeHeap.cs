using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>
/// Gives freed native memory back to the operating system. llama.cpp frees a model's contexts,
/// compute buffers and tokenizer tables with <c>free</c>; glibc keeps much of that in its heap
/// for reuse, so a process that unloaded a model would still look (and be) tens of megabytes
/// bigger. Called after a model is unloaded.
/// </summary>
public static partial class NativeHeap
{
    private static bool _unavailable;

    /// <summary>Returns free heap pages to the system where the C library can (glibc); elsewhere does nothing.</summary>
    public static void Trim()
    {
        if (_unavailable || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // musl and other C libraries have no malloc_trim; they return memory on their own terms.
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
