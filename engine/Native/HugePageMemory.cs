using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>
/// Native blocks of hundreds of megabytes that are written once, whole, soon after they are
/// allocated (saved KV states). With 4 KiB pages the first write takes a page fault per page,
/// and on virtual machines that made saving a 120 MB state cost ~500 ms where the copy itself
/// takes ~30 ms. On Linux the blocks are mapped on their own and advised into transparent huge
/// pages (2 MiB each, which the default <c>madvise</c> policy grants only to advised memory);
/// elsewhere, and below 2 MiB, they come from the C heap.
/// </summary>
internal static unsafe partial class HugePageMemory
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int MadvHugePage = 14;
    private const long MinimumMapped = 2L << 20;

    /// <summary><paramref name="bytes"/> of memory; give it back with <see cref="Free"/> and the same length.</summary>
    /// <exception cref="InsufficientMemoryException">The system has not that much memory to give.</exception>
    public static void* Allocate(long bytes)
    {
        if (!IsMapped(bytes))
        {
            return NativeMemory.Alloc((nuint)bytes);
        }

        var block = mmap(null, (nuint)bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (block == (void*)-1)
        {
            throw new InsufficientMemoryException($"could not map {bytes} bytes for a saved sequence");
        }

        // Advice only: without huge pages the block still works, at 4 KiB a page.
        _ = madvise(block, (nuint)bytes, MadvHugePage);
        return block;
    }

    public static void Free(void* block, long bytes)
    {
        if (IsMapped(bytes))
        {
            _ = munmap(block, (nuint)bytes);
        }
        else
        {
            NativeMemory.Free(block);
        }
    }

    private static bool IsMapped(long bytes) => OperatingSystem.IsLinux() && bytes >= MinimumMapped;

    [LibraryImport("libc")]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc")]
    private static partial int munmap(void* address, nuint length);

    [LibraryImport("libc")]
    private static partial int madvise(void* address, nuint length, int advice);
}
