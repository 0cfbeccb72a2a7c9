using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Native;

/// <summary>
/// A ggml CPU thread pool that a context computes its graphs on, instead of the pool ggml creates
/// and joins for every <c>llama_decode</c>. Its functions live in the CPU backend variant that
/// <c>ggml_backend_load_all_from_path</c> chose at run time, so they are reached through the
/// backend registry rather than imported by name.
/// </summary>
internal sealed unsafe partial class SafeGgmlThreadpoolHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private static readonly Lazy<(nint New, nint Free)?> Functions = new(FindFunctions);

    public SafeGgmlThreadpoolHandle() : base(ownsHandle: true) { }

    public int Threads { get; private init; }

    /// <summary>
    /// Starts <paramref name="threads"/> workers (the calling thread is one of them) whose idle
    /// wait spins for <paramref name="poll"/> (0–100) before sleeping; null when the loaded CPU
    /// backend has no thread pool functions.
    /// </summary>
    public static SafeGgmlThreadpoolHandle? Create(int threads, uint poll)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (Functions.Value is not { } functions)
        {
            return null;
        }

        GgmlThreadpoolParams parameters;
        ggml_threadpool_params_init(&parameters, threads);
        parameters.poll = poll;
        var pool = ((delegate* unmanaged<GgmlThreadpoolParams*, nint>)functions.New)(&parameters);
        if (pool == 0)
        {
            return null;
        }

        var handle = new SafeGgmlThreadpoolHandle { Threads = threads };
        handle.SetHandle(pool);
        return handle;
    }

    protected override bool ReleaseHandle()
    {
        ((delegate* unmanaged<nint, void>)Functions.Value!.Value.Free)(handle);
        return true;
    }

    private static (nint New, nint Free)? FindFunctions()
    {
        var cpu = ggml_backend_reg_by_name("CPU");
        if (cpu == 0)
        {
            return null;
        }

        var create = ggml_backend_reg_get_proc_address(cpu, "ggml_threadpool_new");
        var free = ggml_backend_reg_get_proc_address(cpu, "ggml_threadpool_free");
        return create == 0 || free == 0 ? null : (create, free);
    }

    [LibraryImport(LlamaApi.GgmlBase)]
    private static partial void ggml_threadpool_params_init(GgmlThreadpoolParams* parameters, int threads);

    [LibraryImport(LlamaApi.Ggml, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ggml_backend_reg_by_name(string name);

    [LibraryImport(LlamaApi.GgmlBase, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ggml_backend_reg_get_proc_address(nint registry, string name);
}
