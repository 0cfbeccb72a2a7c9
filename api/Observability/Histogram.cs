using System.Globalization;
using System.Text;

namespace ModelRunner.Api.Observability;

/// <summary>A Prometheus histogram with fixed buckets. Thread-safe.</summary>
internal sealed class Histogram(double[] bounds)
{
    private readonly Lock _gate = new();
    private readonly long[] _counts = new long[bounds.Length];
    private long _count;
    private double _sum;

    public void Observe(double value)
    {
        lock (_gate)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    _counts[i]++;
                }
            }

            _count++;
            _sum += value;
        }
    }

    /// <summary>Writes the cumulative buckets, sum and count of one series.</summary>
    public void WriteTo(StringBuilder text, string name, string labels)
    {
        lock (_gate)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{bounds[i]}\"}} {_counts[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {_count}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {_sum}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {_count}\n");
        }
    }
}
