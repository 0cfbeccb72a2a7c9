using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>Mirror of <c>struct ggml_threadpool_params</c> (ggml.h): how a ggml CPU thread pool runs.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlThreadpoolParams
{
    /// <summary>GGML_MAX_N_THREADS one-byte flags; all zero keeps the threads' default affinity.</summary>
    public fixed byte cpumask[512];
    public int n_threads;
    public int prio;

    /// <summary>How long idle workers spin before sleeping: 0 sleeps at once, 100 polls aggressively.</summary>
    public uint poll;
    public CBool strict_cpu;
    public CBool paused;
}
