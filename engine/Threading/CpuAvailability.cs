using System.Diagnostics;
using System.Globalization;

namespace ModelRunner.Engine.Threading;

/// <summary>
/// How many of the CPUs this process may run on other processes left idle between two samples:
/// the busy time of those CPUs in <c>/proc/stat</c> minus this process's own CPU time. Linux only.
/// Not thread-safe: one decode loop samples it.
/// </summary>
internal sealed class CpuAvailability
{
    // /proc/stat counts in USER_HZ, which the kernel fixes at 100 for user space on every
    // architecture .NET runs on, whatever the kernel's internal tick rate.
    private const double TicksPerSecond = 100;
    private const string StatPath = "/proc/stat";

    private readonly HashSet<int> _cpus;
    private readonly int _cores;
    private long _busyTicks;
    private TimeSpan _ownTime;
    private long _timestamp;

    private CpuAvailability(HashSet<int> cpus, int cores)
    {
        _cpus = cpus;
        _cores = cores;
        (_busyTicks, _ownTime, _timestamp) = Read();
    }

    /// <summary>Starts measuring; null where <c>/proc</c> says nothing about the CPUs (not Linux).</summary>
    public static CpuAvailability? Start()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(StatPath))
        {
            return null;
        }

        var cpus = AllowedCpus() ?? [.. Enumerable.Range(0, Environment.ProcessorCount)];
        // Environment.ProcessorCount already honours a cgroup CPU quota as well as the affinity.
        return new CpuAvailability(cpus, Math.Min(cpus.Count, Environment.ProcessorCount));
    }

    /// <summary>The cores other processes left free since the last sample (0 to the cores this process may use).</summary>
    public double SampleFreeCores()
    {
        var (busyTicks, ownTime, timestamp) = Read();
        var wall = Stopwatch.GetElapsedTime(_timestamp, timestamp).TotalSeconds;
        var othersBusy = (busyTicks - _busyTicks) / TicksPerSecond - (ownTime - _ownTime).TotalSeconds;
        (_busyTicks, _ownTime, _timestamp) = (busyTicks, ownTime, timestamp);
        return wall <= 0 ? _cores : Math.Clamp(_cpus.Count - Math.Max(0, othersBusy) / wall, 0, _cores);
    }

    private (long BusyTicks, TimeSpan OwnTime, long Timestamp) Read()
    {
        var ownTime = Environment.CpuUsage.TotalTime;
        var timestamp = Stopwatch.GetTimestamp();
        long busy = 0;
        foreach (var line in File.ReadLines(StatPath))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                break;
            }

            // "cpuN user nice system idle iowait irq softirq steal ..."; the first line ("cpu ") sums them all.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || !int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cpu) || !_cpus.Contains(cpu))
            {
                continue;
            }

            foreach (var index in (ReadOnlySpan<int>)[1, 2, 3, 6, 7, 8])
            {
                busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
            }
        }

        return (busy, ownTime, timestamp);
    }

    /// <summary>The CPUs in this process's affinity mask, from <c>Cpus_allowed_list</c> ("0-3,8,10-11").</summary>
    private static HashSet<int>? AllowedCpus()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var cpus = new HashSet<int>();
        foreach (var range in line["Cpus_allowed_list:".Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = range.Split('-');
            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus.Count > 0 ? cpus : null;
    }
}
