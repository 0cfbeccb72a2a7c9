namespace ModelRunner.Engine.Reasoning;

/// <summary>
/// Splits streamed text into thinking and answer at <c>&lt;think&gt;</c> … <c>&lt;/think&gt;</c>:
/// inside an opened block (or one the text opens first thing), text is thinking; after the close,
/// the answer (without the blank lines that follow the close). Text that could be the start of a
/// marker is held back until the next piece decides. Not thread-safe: one per generation.
/// </summary>
public sealed class ReasoningSplitter
{
    private enum State { Undecided, Thinking, Answering }

    private State _state;
    private string _held = "";
    private bool _trimAnswer;

    /// <param name="startsThinking">The prompt opened a think block already.</param>
    public ReasoningSplitter(bool startsThinking) => _state = startsThinking ? State.Thinking : State.Undecided;

    /// <summary>Whether the text so far is inside a think block.</summary>
    public bool IsThinking => _state == State.Thinking;

    /// <summary>Takes the next piece of text; returns what is known to be thinking and answer.</summary>
    public (string Thinking, string Answer) Push(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var input = _held + text;
        _held = "";
        var thinking = "";
        var answer = "";
        while (input.Length > 0)
        {
            switch (_state)
            {
                case State.Undecided:
                    var start = input.TrimStart();
                    if (start.StartsWith(ThinkingTemplate.Open, StringComparison.Ordinal))
                    {
                        _state = State.Thinking;
                        input = start[ThinkingTemplate.Open.Length..].TrimStart('\n');
                    }
                    else if (ThinkingTemplate.Open.StartsWith(start, StringComparison.Ordinal))
                    {
                        _held = input;
                        return (thinking, answer);
                    }
                    else
                    {
                        _state = State.Answering;
                    }

                    break;
                case State.Thinking:
                    var close = input.IndexOf(ThinkingTemplate.Close, StringComparison.Ordinal);
                    if (close >= 0)
                    {
                        thinking += input[..close];
                        input = input[(close + ThinkingTemplate.Close.Length)..];
                        _state = State.Answering;
                        _trimAnswer = true;
                        break;
                    }

                    var keep = PartialSuffix(input, ThinkingTemplate.Close);
                    thinking += input[..^keep];
                    _held = input[^keep..];
                    return (thinking, answer);
                default:
                    if (_trimAnswer)
                    {
                        input = input.TrimStart('\n');
                        _trimAnswer = input.Length == 0;
                    }

                    answer += input;
                    input = "";
                    break;
            }
        }

        return (thinking, answer);
    }

    /// <summary>Ends the text: whatever was held back is released where it belongs.</summary>
    public (string Thinking, string Answer) Flush()
    {
        var held = _held;
        _held = "";
        return _state == State.Thinking ? (held, "") : ("", held);
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that starts <paramref name="marker"/>.</summary>
    private static int PartialSuffix(string text, string marker)
    {
        for (var length = Math.Min(text.Length, marker.Length - 1); length > 0; length--)
        {
            if (marker.StartsWith(text[^length..], StringComparison.Ordinal))
            {
                return length;
            }
        }

        return 0;
    }
}
