using System.Text.Json;
using ModelRunner.Engine.Grammar;

namespace ModelRunner.Engine.Tests.Grammar;

public sealed class JsonTextTests
{
    [Theory]
    [InlineData("\"plain\"", "\"plain\"")]
    [InlineData("\"\\u0041\\/\"", "\"A/\"")]
    [InlineData("\"q\\\"b\\\\\"", "\"q\\\"b\\\\\"")]
    [InlineData("\"\\u0001\\u001F\\u007F\\u0085\"", "\"\\u0001\\u001f\\u007f\\u0085\"")]
    [InlineData("\"\\b\\f\\n\\r\\t\"", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\"\\ud83d\\ude00 \\ud800\"", "\"😀 \\ud800\"")]
    [InlineData("{ \"a\" : [ 1 , 1.50 , true , null ] }", "{\"a\":[1,1.50,true,null]}")]
    public void Canonical_Value_IsCompactWithMinimalEscapes(string json, string expected)
    {
        Assert.Equal(expected, JsonText.Canonical(JsonElement.Parse(json)));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("😀", 1)]
    [InlineData("a😀b", 3)]
    public void CodePointLength_Text_CountsSurrogatePairsOnce(string text, int expected)
    {
        Assert.Equal(expected, JsonText.CodePointLength(text));
    }

    [Fact]
    public void CodePointLength_LoneSurrogate_CountsAsOneCharacter()
    {
        // Built in code: a lone surrogate does not survive xunit's serialization of InlineData.
        Assert.Equal(2, JsonText.CodePointLength(new string(['\ud800', 'x'])));
    }
}
