using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Threading;

/// <summary>
/// How many threads a context computes with, and the pool they wait in. ggml's workers spin at
/// every barrier of a graph, so a thread that loses its core to another process stalls all the
/// others: on two cores with one taken, two threads decoded 25× slower than one. Unless
/// <see cref="EngineOptions.Threads"/> fixes the count, it follows the cores other processes
/// leave free, measured by a timer every <see cref="Interval"/> while the model is loaded and
/// applied between decode steps; a tiny model, whose steps are too short to share, gets one.
/// The timer runs while the engine idles too: measured only between steps, the first step after
/// an idle spell saw the average of the whole spell (a neighbour's build that had just ended
/// made a request prefill on one thread). The pool's idle workers sleep instead of polling.
/// Used by the decode loop thread only; the timer writes nothing but the advised count.
/// </summary>
internal sealed class DecodeThreads : IDisposable
{
    /// <summary>How often the free cores are measured: short enough that a neighbour's burst, or its end, costs little; long enough for /proc/stat's 10 ms ticks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Below this many parameters a decode step is so short that a second thread's barriers cost more than its work.</summary>
    public const long TinyModelParameters = 30_000_000;

    // A thread is worth starting when this much of its core is free: a thread that has to wait
    // for its core at every barrier holds back all the others.
    private const double Slack = 0.35;

    private readonly SafeLlamaContextHandle _context;
    private readonly SafeGgmlThreadpoolHandle? _pool;
    private readonly Timer? _sampler;
    private readonly Lock _sampling = new();
    private readonly int? _batchThreads;
    private int _advised;

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

        _advised = Maximum;
        if (options.Threads is null && Maximum > 1 && CpuAvailability.Start() is { } availability)
        {
            _sampler = new Timer(_ => Sample(availability), null, Interval, Interval);
        }

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

    /// <summary>Takes the thread count the latest measure advises; call between steps.</summary>
    public void Adjust()
    {
        var advised = Volatile.Read(ref _advised);
        if (advised != Current)
        {
            Current = advised;
            Apply();
        }
    }

    public void Dispose()
    {
        _sampler?.Dispose();
        _pool?.Dispose();
    }

    private void Sample(CpuAvailability availability)
    {
        // A callback delayed past the next tick (a starved thread pool) must not sample alongside it.
        if (_sampling.TryEnter())
        {
            try
            {
                Volatile.Write(ref _advised, ForFreeCores(availability.SampleFreeCores(), Maximum));
            }
            finally
            {
                _sampling.Exit();
            }
        }
    }

    private void Apply() => _context.SetThreads(Current, _batchThreads ?? Current);
}
