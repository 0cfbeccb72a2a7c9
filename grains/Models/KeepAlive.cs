using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelRunner.Grains.Models;

/// <summary>
/// Ollama's <c>keep_alive</c>: a duration string (<c>"5m"</c>, <c>"1h30m"</c>, <c>"300ms"</c>,
/// <c>"10s"</c>), a number of seconds, zero to unload right after the request, or a negative
/// value to keep the model loaded forever. Thread-safe.
/// </summary>
public static partial class KeepAlive
{
    /// <summary>The default idle time before a model unloads (DMR's and Ollama's).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(5);

    /// <summary>Negative durations mean "never unload": <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static TimeSpan Normalise(TimeSpan value) => value < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : value;

    /// <summary>
    /// A number of seconds as a keep-alive. Beyond what a <see cref="TimeSpan"/> holds (~29,000
    /// years) it is "forever", as Ollama treats huge values, rather than an overflow.
    /// </summary>
    /// <exception cref="ArgumentException">Not a number (NaN).</exception>
    public static TimeSpan FromSeconds(double seconds) =>
        double.IsNaN(seconds) ? throw new ArgumentException("keep_alive is not a number", nameof(seconds))
        : Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds ? Timeout.InfiniteTimeSpan
        : Normalise(TimeSpan.FromSeconds(seconds));

    /// <exception cref="ArgumentException">Not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        var match = Duration().Match(trimmed);
        if (!match.Success || trimmed.Length == 0 || trimmed == "-")
        {
            throw new ArgumentException($"keep_alive '{text}' is not a duration such as \"5m\", \"1h30m\", \"30s\", a number of seconds, 0 or -1", nameof(text));
        }

        // Summed in seconds as a double, so "99999999999h" is "forever" rather than an overflow.
        var total = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var amount = double.Parse(part.Value[..^unit.Length], CultureInfo.InvariantCulture);
            total += amount * unit switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" => 1e-6,
                _ => 1e-9,
            };
        }

        return FromSeconds(match.Groups["sign"].Value == "-" ? -total : total);
    }

    /// <summary>Go-style text for a duration, e.g. <c>5m0s</c>; <c>-1</c> for never.</summary>
    public static string Format(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "-1"
        : value.TotalHours >= 1 ? $"{(int)value.TotalHours}h{value.Minutes}m{value.Seconds}s"
        : value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m{value.Seconds}s"
        : $"{value.TotalSeconds:0.###}s";

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>[0-9]+(\.[0-9]+)?(h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex Duration();
}
