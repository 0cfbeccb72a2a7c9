using System.Globalization;

namespace ModelRunner.Bench.Soak;

/// <summary>
/// The soak's verdicts from its samples: no server errors; resident memory over the last two thirds
/// of the run (the last 20 of 30 minutes) drifting less than 5%; the p99 time to first token of
/// each sixth of the run after the first within 1.5× of the second sixth's.
/// </summary>
internal static class SoakReport
{
    private const double MaxRssDrift = 0.05;
    private const double MaxFirstTokenGrowth = 1.5;
    private const int Periods = 6;

    /// <param name="duration">The configured length: the clients start no request after it, and the windows are cut from it.</param>
    /// <param name="elapsed">Until the last request in flight ended.</param>
    public static bool Write(IReadOnlyList<SoakSample> samples, IReadOnlyList<(TimeSpan At, long Bytes)> rss, TimeSpan duration, TimeSpan elapsed, long serverErrorsCounted)
    {
        var byOutcome = Enum.GetValues<SoakOutcome>().ToDictionary(outcome => outcome, outcome => samples.Count(sample => sample.Outcome == outcome));
        Console.WriteLine($"requests        {samples.Count} in {duration.TotalMinutes:F1} min (the last ended at {elapsed.TotalMinutes:F1}): " + string.Join(", ", samples.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
        Console.WriteLine($"outcomes        ok {byOutcome[SoakOutcome.Ok]}, hung up on purpose {byOutcome[SoakOutcome.Disconnected]}, busy 503 {byOutcome[SoakOutcome.Busy]}, refused 507 {byOutcome[SoakOutcome.Refused]}, errors {byOutcome[SoakOutcome.Error]}");
        foreach (var error in samples.Where(s => s.Outcome == SoakOutcome.Error).GroupBy(s => s.Error).Take(5))
        {
            Console.WriteLine($"  error x{error.Count()}: {error.Key}");
        }

        var errorsPass = byOutcome[SoakOutcome.Error] == 0 && serverErrorsCounted == 0;
        Console.WriteLine($"server errors   client-seen {byOutcome[SoakOutcome.Error]}, the server's own 5xx count (503/507 excluded) {serverErrorsCounted}   (target 0) {Verdict(errorsPass)}");

        var windowStart = duration / 3;
        var window = rss.Where(sample => sample.At >= windowStart && sample.At <= duration).ToList();
        var rssPass = false;
        if (window.Count >= 4)
        {
            // The median of the window's first and last tenths: one GC or page-cache blip is not drift.
            var tenth = Math.Max(1, window.Count / 10);
            var first = Median(window.Take(tenth).Select(s => (double)s.Bytes));
            var last = Median(window.TakeLast(tenth).Select(s => (double)s.Bytes));
            var drift = (last - first) / first;
            rssPass = Math.Abs(drift) < MaxRssDrift;
            Console.WriteLine($"rss             {Mib(rss[0].Bytes)} at start, {Mib(first)} at {windowStart.TotalMinutes:F1} min, {Mib(last)} at the end, max {Mib(rss.Max(s => s.Bytes))}; drift over the last two thirds {drift:P1}   (target < 5%) {Verdict(rssPass)}");
            // Model switches move RSS by ±10% from minute to minute; a least-squares line through the
            // whole window says whether it trends, which two tenths alone can hide or fake.
            var minutes = window.Select(s => s.At.TotalMinutes).ToList();
            var (meanAt, meanBytes) = (minutes.Average(), window.Average(s => (double)s.Bytes));
            var slope = minutes.Zip(window, (at, s) => (at - meanAt) * (s.Bytes - meanBytes)).Sum() / minutes.Sum(at => (at - meanAt) * (at - meanAt));
            Console.WriteLine($"rss trend       {slope / (1 << 20):+0.00;-0.00} MiB/min by least squares over the window: {slope * (duration - windowStart).TotalMinutes / meanBytes:P1} over its {(duration - windowStart).TotalMinutes:F0} min");
            // Its shape tells a cache filling to its cap (rises, then flat) from a leak (rises throughout).
            var sixth = duration / Periods;
            Console.WriteLine($"rss per sixth   medians: {string.Join("  ", Enumerable.Range(0, Periods).Select(i => rss.Where(s => s.At >= sixth * i && s.At < sixth * (i + 1)).Select(s => (double)s.Bytes).ToList()).Select(bytes => bytes.Count == 0 ? "-" : Mib(Median(bytes))))}");
        }
        else
        {
            Console.WriteLine("rss             too few samples for a drift");
        }

        var period = duration / Periods;
        var p99s = Enumerable.Range(0, Periods)
            .Select(i => samples.Where(s => s.FirstTokenMs is not null && s.At >= period * i && s.At < period * (i + 1)).Select(s => s.FirstTokenMs!.Value).ToList())
            .Select(times => times.Count == 0 ? double.NaN : Statistics.Percentile(times, 99))
            .ToList();
        // The first period holds the loads and JIT; the next one with streamed requests is the baseline.
        var reference = Enumerable.Range(1, Periods - 1).FirstOrDefault(i => !double.IsNaN(p99s[i]));
        var baseline = reference == 0 ? double.NaN : p99s[reference];
        var worst = p99s.Skip(reference + 1).Where(p => !double.IsNaN(p)).DefaultIfEmpty(baseline).Max();
        var ttftPass = !double.IsNaN(baseline) && worst <= baseline * MaxFirstTokenGrowth;
        var growth = double.IsNaN(baseline) ? "n/a (too few streamed requests)" : $"{worst / baseline:F2}x";
        Console.WriteLine($"p99 ttft        per sixth of the run (ms): {string.Join("  ", p99s.Select(p => double.IsNaN(p) ? "-" : p.ToString("F0", CultureInfo.InvariantCulture)))}; worst later sixth against sixth {reference + 1}: {growth}   (target <= {MaxFirstTokenGrowth}x) {Verdict(ttftPass)}");
        var pass = errorsPass && rssPass && ttftPass;
        Console.WriteLine($"soak            {Verdict(pass)}");
        return pass;
    }

    private static double Median(IEnumerable<double> values) => Statistics.Median(values);

    private static string Mib(double bytes) => $"{bytes / (1 << 20):F0} MiB";

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";
}
