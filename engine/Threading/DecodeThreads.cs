using System.Diagnostics;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Threading;

/// <summary>
/// How many threads a context computes with, and the pool they wait in. ggml's workers spin at
/// every barrier of a graph, so a thread that loses its core to another process stalls all the
/// others: on two cores with one taken, two threads decoded 25× slower than one. Unless
/// <see cref="EngineOptions.Threads"/> fixes the count, it follows the cores other processes
/// leave free (re-measured every <see cref="Interval"/> between decode steps), and a tiny model,
/// whose steps are too short to share, gets one. The pool's idle workers sleep instead of
/// polling, so an idle engine costs no CPU. Used by the decode loop thread only.
/// </summary>
internal sealed class DecodeThreads : IDisposable
{
    /// <summary>How often the free cores are measured; short enough that a neighbour's burst costs little.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Below this many parameters a decode step is so short that a second thread's barriers cost more than its work.</summary>
    public const long TinyModelParameters = 30_000_000;

    // A thread is worth starting when this much of its core is free: a thread that has to wait
    // for its core at every barrier holds back all the others.
    private const double Slack = 0.35;

    private readonly SafeLlamaContextHandle _context;
    private readonly SafeGgmlThreadpoolHandle? _pool;
    private readonly CpuAvailability? _availability;
    private readonly int? _batchThreads;
    private long _measured;

    public DecodeThreads(SafeLlamaContextHandle context, EngineOptions options, long parameterCount)
    {
        _context = context;
        _batchThreads = options.BatchThreads;
        Maximum = options.Threads ?? AutomaticMaximum(parameterCount);
        Current = Maximum;
        var poolSize = Math.Max(Maximum, _batchThreads ?? 0);
        if (poolSize > 1)
        {
            _pool = SafeGgmlThreadpoolHandle.Create(poolSize, poll: 0);
            if (_pool is not null)
            {
                context.AttachThreadpool(_pool);
            }
        }

        _availability = options.Threads is null && Maximum > 1 ? CpuAvailability.Start() : null;
        _measured = Stopwatch.GetTimestamp();
        Apply();
    }

    /// <summary>Threads a step may use at most.</summary>
    public int Maximum { get; }

    /// <summary>Threads the next step uses.</summary>
    public int Current { get; private set; }

    /// <summary>The most threads <see cref="EngineOptions.Threads"/> = null lets a model use: every core this process may use, one for a tiny model.</summary>
    public static int AutomaticMaximum(long parameterCount) =>
        parameterCount < TinyModelParameters ? 1 : Environment.ProcessorCount;

    /// <summary>The thread count for the cores free now: between 1 and <paramref name="maximum"/>.</summary>
    public static int ForFreeCores(double freeCores, int maximum) =>
        Math.Clamp((int)Math.Floor(freeCores + Slack), 1, maximum);

    /// <summary>Re-measures the free cores when the last measure is older than <see cref="Interval"/>; call between steps.</summary>
    public void Adjust()
    {
        if (_availability is null || Stopwatch.GetElapsedTime(_measured) < Interval)
        {
            return;
        }

        _measured = Stopwatch.GetTimestamp();
        var threads = ForFreeCores(_availability.SampleFreeCores(), Maximum);
        if (threads != Current)
        {
            Current = threads;
            Apply();
        }
    }

    public void Dispose() => _pool?.Dispose();

    private void Apply() => _context.SetThreads(Current, _batchThreads ?? Current);
}
