using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void Append_StopSplitAcrossPieces_NeverEmitsAnyPartOfIt()
    {
        var matcher = new StopStringMatcher(["</end>"]);

        var emitted = matcher.Append("hello </") + matcher.Append("en") + matcher.Append("d> ignored");

        Assert.Equal("hello ", emitted);
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Append_PrefixThatTurnsOutNotToBeAStop_IsEmittedLater()
    {
        var matcher = new StopStringMatcher(["STOP"]);

        var first = matcher.Append("go ST");
        var second = matcher.Append("ART");

        Assert.Equal("go ", first);
        Assert.Equal("START", second);
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Append_SeveralStops_EndsAtTheEarliest()
    {
        var matcher = new StopStringMatcher(["world", "lo"]);

        Assert.Equal("hel", matcher.Append("hello world"));
    }

    [Fact]
    public void Flush_EndWithoutStop_ReturnsHeldBackText()
    {
        var matcher = new StopStringMatcher(["abc"]);

        Assert.Equal("x", matcher.Append("xab"));
        Assert.Equal("ab", matcher.Flush());
    }

    [Fact]
    public void Append_NoStops_PassesTextThrough()
    {
        var matcher = new StopStringMatcher(["", ""]);

        Assert.Equal("anything", matcher.Append("anything"));
        Assert.Equal("", matcher.Flush());
    }
}
