namespace ModelRunner.Engine.Inference;

/// <summary>
/// Finds stop strings in streamed text without ever emitting part of one: text that could be
/// the start of a stop string is held back until the next piece shows whether it is. Not thread-safe.
/// </summary>
internal sealed class StopStringMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = [.. stops.Where(stop => stop.Length > 0)];
    private string _pending = "";

    /// <summary>True once a stop string has been seen; nothing more is emitted after it.</summary>
    public bool Stopped => Matched is not null;

    /// <summary>The stop string that ended the text, once one has.</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds generated text and returns the part that is safe to emit.</summary>
    public string Append(string text)
    {
        if (Stopped)
        {
            return "";
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        var buffer = _pending + text;
        var stopAt = -1;
        foreach (var stop in _stops)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (stopAt < 0 || index < stopAt))
            {
                stopAt = index;
                Matched = stop;
            }
        }

        if (stopAt >= 0)
        {
            _pending = "";
            return buffer[..stopAt];
        }

        var held = LongestSuffixThatStartsAStop(buffer);
        _pending = buffer[^held..];
        return buffer[..^held];
    }

    /// <summary>The held-back text, once generation ended without completing a stop string.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending;
        _pending = "";
        return rest;
    }

    private int LongestSuffixThatStartsAStop(string buffer)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > longest; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
