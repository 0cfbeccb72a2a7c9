using System.Text;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Engine.Tests.Inference;

[Collection(TestModelCollection.Name)]
public sealed class LlamaModelTests(TestModelFixture models)
{
    [Fact]
    public void Load_FileThatIsNotGguf_ThrowsModelLoadExceptionSayingSo()
    {
        var path = Path.Combine(models.Folder, "not-a-model.gguf");
        File.WriteAllText(path, "this is a text file, not a model");

        var exception = Assert.Throws<ModelLoadException>(() => LlamaModel.Load(path));

        Assert.Contains("not a usable GGUF model", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedModel_ThrowsModelLoadException()
    {
        var path = Path.Combine(models.Folder, "truncated.gguf");
        var bytes = File.ReadAllBytes(models.TinyPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<ModelLoadException>(() => LlamaModel.Load(path));
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelLoadException()
    {
        var exception = Assert.Throws<ModelLoadException>(() => LlamaModel.Load(Path.Combine(models.Folder, "absent.gguf")));

        Assert.Contains("not found", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TinyModel_ReportsItsShapeAndTemplate()
    {
        var model = models.Tiny;

        Assert.Equal(64, model.EmbeddingLength);
        Assert.Equal(2, model.LayerCount);
        Assert.Equal(32000, model.VocabularySize);
        Assert.Equal(4096, model.TrainingContextLength);
        Assert.Equal(model.Gguf.ParameterCount, model.ParameterCount);
        Assert.Contains("<|im_start|>", model.ChatTemplate, StringComparison.Ordinal);
        Assert.Equal(model.Runtime.HasGpu ? -1 : 0, model.GpuLayers);
    }

    [Fact]
    public void Tokenize_ThenDetokenize_GivesTheTextBack()
    {
        const string text = "Hello, world! Ünïcödé and 漢字 and 🦙.";

        var tokens = models.Tiny.Tokenize(text, addSpecial: false);

        Assert.Equal(text, models.Tiny.Detokenize(tokens).TrimStart(' '));
    }

    [Fact]
    public void Tokenize_AddSpecial_StartsWithBos()
    {
        var withBos = models.Tiny.Tokenize("hi", addSpecial: true);
        var without = models.Tiny.Tokenize("hi", addSpecial: false);

        Assert.Equal(without.Length + 1, withBos.Length);
        Assert.Equal(1, withBos[0]);
    }

    [Fact]
    public void TokenTextDecoder_CharacterSplitOverTokens_NeverEmitsHalfACharacter()
    {
        // SentencePiece's byte fallback spells characters missing from the vocabulary as one
        // token per UTF-8 byte, so these characters arrive over several tokens.
        const string text = "龘🦙";
        var tokens = models.Tiny.Tokenize(text, addSpecial: false);
        Assert.True(tokens.Length > text.EnumerateRunes().Count(), "the characters should be split over several tokens");

        var decoder = new TokenTextDecoder(models.Tiny);
        var pieces = tokens.Select(decoder.Append).Append(decoder.Flush()).ToList();

        Assert.Contains(pieces, piece => piece.Length == 0);
        Assert.All(pieces, piece => Assert.DoesNotContain('\uFFFD', piece));
        Assert.All(pieces, piece => Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(piece)) == piece));
        Assert.Equal(text, string.Concat(pieces).TrimStart(' '));
    }

    [Fact]
    public void ApplyChatTemplate_ChatMl_FormatsEveryMessageAndOpensTheReply()
    {
        var prompt = models.Tiny.ApplyChatTemplate([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi!")]);

        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void ChatTemplateApply_UnrecognisedTemplate_ThrowsNamingTheSupportedFamilies()
    {
        var exception = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Apply("{{ something no family uses }}", [new ChatMessage("user", "Hi")]));

        Assert.Contains("chatml", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llama3", "<|start_header_id|>user<|end_header_id|>")]
    [InlineData("gemma", "<start_of_turn>user")]
    [InlineData("chatml", "<|im_start|>user")]
    public void ChatTemplateApply_BuiltinFamilyName_FormatsThatFamily(string family, string expected)
    {
        var prompt = ChatTemplate.Apply(family, [new ChatMessage("user", "Hi")]);

        Assert.Contains(expected, prompt, StringComparison.Ordinal);
    }
}
