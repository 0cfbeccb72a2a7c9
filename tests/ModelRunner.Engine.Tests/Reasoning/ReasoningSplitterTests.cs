using ModelRunner.Engine.Reasoning;

namespace ModelRunner.Engine.Tests.Reasoning;

public sealed class ReasoningSplitterTests
{
    private static (string Thinking, string Answer) SplitAll(ReasoningSplitter splitter, params string[] pieces)
    {
        var (thinking, answer) = ("", "");
        foreach (var piece in pieces)
        {
            var (t, a) = splitter.Push(piece);
            (thinking, answer) = (thinking + t, answer + a);
        }

        var (heldThinking, heldAnswer) = splitter.Flush();
        return (thinking + heldThinking, answer + heldAnswer);
    }

    [Fact]
    public void Push_OpenedBlock_SplitsAtACloseBrokenAcrossPieces()
    {
        var result = SplitAll(new ReasoningSplitter(startsThinking: true), "Rayleigh ", "scattering.</th", "ink>\n\nBecause of ", "air.");

        Assert.Equal(("Rayleigh scattering.", "Because of air."), result);
    }

    [Fact]
    public void Push_TextThatOpensItsOwnBlock_IsThinkingUntilTheClose()
    {
        var result = SplitAll(new ReasoningSplitter(startsThinking: false), "<thi", "nk>\nHmm.</think>", "Blue.");

        Assert.Equal(("Hmm.", "Blue."), result);
    }

    [Fact]
    public void Push_TextWithoutABlock_IsAllAnswer_AndALoneLessThanIsKept()
    {
        Assert.Equal(("", "a < b"), SplitAll(new ReasoningSplitter(startsThinking: false), "a ", "< b"));
        Assert.Equal(("", "<"), SplitAll(new ReasoningSplitter(startsThinking: false), "<"));
    }

    [Fact]
    public void Flush_InsideThinking_ReleasesAPartialCloseAsThinking()
    {
        Assert.Equal(("still </thi", ""), SplitAll(new ReasoningSplitter(startsThinking: true), "still </thi"));
    }
}
