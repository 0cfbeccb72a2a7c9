namespace ModelRunner.Cli.Client;

/// <summary>A Docker-style table: upper-case headers, columns padded to their widest cell, no borders.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((header, i) => all.Select(row => row[i].Length).Append(header.Length).Max()).ToArray();
        void Line(IReadOnlyList<string> cells) => output.WriteLine(string.Join("   ", cells.Select((cell, i) => i == cells.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        all.ForEach(Line);
    }

    /// <summary>"3 days ago", as Docker writes ages.</summary>
    public static string Ago(DateTimeOffset time)
    {
        var age = DateTimeOffset.UtcNow - time;
        return age.TotalDays >= 365 ? Plural((int)(age.TotalDays / 365), "year")
            : age.TotalDays >= 30 ? Plural((int)(age.TotalDays / 30), "month")
            : age.TotalDays >= 1 ? Plural((int)age.TotalDays, "day")
            : age.TotalHours >= 1 ? Plural((int)age.TotalHours, "hour")
            : age.TotalMinutes >= 1 ? Plural((int)age.TotalMinutes, "minute")
            : "Less than a minute ago";
    }

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit} ago" : $"{count} {unit}s ago";
}
