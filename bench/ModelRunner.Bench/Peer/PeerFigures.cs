namespace ModelRunner.Bench.Peer;

/// <summary>What one condition (quiet or busy machine) measured of each server, and how it is printed.</summary>
internal sealed class PeerFigures
{
    public List<double> OurSingle { get; } = [];

    public List<double> TheirSingle { get; } = [];

    public List<double> OurStreams { get; } = [];

    public List<double> TheirStreams { get; } = [];

    /// <summary>llama.cpp alone through our bindings, no server: the ceiling for both.</summary>
    public List<double> RawSingle { get; } = [];

    public List<double> RawStreams { get; } = [];

    public List<double> OurFirstTurn { get; } = [];

    public List<double> OurLastTurn { get; } = [];

    public List<double> TheirFirstTurn { get; } = [];

    public List<double> TheirLastTurn { get; } = [];

    public void Print(string condition)
    {
        Console.WriteLine($"--- {condition} machine");
        if (OurSingle.Count > 0)
        {
            Console.WriteLine($"single stream   ModelRunner {Statistics.Median(OurSingle):F2} tok/s   llama-server {Statistics.Median(TheirSingle):F2} tok/s   ratio {Ratio(OurSingle, TheirSingle):F3} (target >= 1.0)");
            Console.WriteLine($"8 streams       ModelRunner {Statistics.Median(OurStreams):F2} tok/s   llama-server -np 8 {Statistics.Median(TheirStreams):F2} tok/s   ratio {Ratio(OurStreams, TheirStreams):F3} (target >= 1.15)");
            Console.WriteLine($"llama.cpp alone single {Statistics.Median(RawSingle):F2} tok/s, 8 streams {Statistics.Median(RawStreams):F2} tok/s (wall clock, prefill included)");
            Console.WriteLine($"  ÷ llama-server       single {Ratio(RawSingle, TheirSingle):F3}, 8 streams {Ratio(RawStreams, TheirStreams):F3}   (the most any server on these kernels could lead by)");
            Console.WriteLine($"  ModelRunner ÷ it     single {Ratio(OurSingle, RawSingle):F3}, 8 streams {Ratio(OurStreams, RawStreams):F3}   (what our server costs)");
        }

        if (OurFirstTurn.Count > 0)
        {
            var ours = Ratio(OurLastTurn, OurFirstTurn);
            var theirs = Ratio(TheirLastTurn, TheirFirstTurn);
            Console.WriteLine($"conversation    TTFT turn 1 / turn 12: ModelRunner {Statistics.Median(OurFirstTurn):F0} / {Statistics.Median(OurLastTurn):F0} ms (x{ours:F2})   llama-server -np 2 {Statistics.Median(TheirFirstTurn):F0} / {Statistics.Median(TheirLastTurn):F0} ms (x{theirs:F2})");
            Console.WriteLine($"conversation    ours / theirs = {ours / theirs:F3} (target <= 0.8)");
        }
    }

    /// <summary>How much each server kept of its quiet-machine figures with one core taken: ours must keep more.</summary>
    public static void PrintDegradation(PeerFigures quiet, PeerFigures busy)
    {
        Console.WriteLine("--- busy / quiet (share of the quiet figure kept with one core taken; higher is better)");
        if (quiet.OurSingle.Count > 0 && busy.OurSingle.Count > 0)
        {
            Console.WriteLine($"single stream   ModelRunner {MedianRatio(busy.OurSingle, quiet.OurSingle):F3}   llama-server {MedianRatio(busy.TheirSingle, quiet.TheirSingle):F3}");
            Console.WriteLine($"8 streams       ModelRunner {MedianRatio(busy.OurStreams, quiet.OurStreams):F3}   llama-server {MedianRatio(busy.TheirStreams, quiet.TheirStreams):F3}");
        }

        if (quiet.OurFirstTurn.Count > 0 && busy.OurFirstTurn.Count > 0)
        {
            // For a time, keeping more means taking less longer: quiet ÷ busy.
            Console.WriteLine($"TTFT turn 12    ModelRunner {MedianRatio(quiet.OurLastTurn, busy.OurLastTurn):F3}   llama-server {MedianRatio(quiet.TheirLastTurn, busy.TheirLastTurn):F3}");
        }
    }

    // Runs alternate between the measured, so each run's figures share the machine's state of that
    // moment (this VM's speed drifts by a quarter over minutes): the median of the runs' ratios.
    private static double Ratio(List<double> numerator, List<double> denominator) =>
        Statistics.Median([.. numerator.Zip(denominator, (a, b) => a / b)]);

    // Conditions ran minutes apart, run by run unpaired: the ratio of their medians.
    private static double MedianRatio(List<double> numerator, List<double> denominator) =>
        Statistics.Median(numerator) / Statistics.Median(denominator);
}
