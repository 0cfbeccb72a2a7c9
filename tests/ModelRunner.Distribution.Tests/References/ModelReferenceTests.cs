using ModelRunner.Distribution.References;

namespace ModelRunner.Distribution.Tests.References;

public sealed class ModelReferenceTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Parse_BareName_GetsAiNamespaceLatestTagAndDockerHub()
    {
        var reference = ModelReference.Parse("smollm2");

        Assert.Equal("index.docker.io", reference.Registry);
        Assert.Equal("ai/smollm2", reference.Repository);
        Assert.Equal("latest", reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal("ai/smollm2:latest", reference.FamiliarName);
        Assert.Equal("index.docker.io/ai/smollm2:latest", reference.ToString());
    }

    [Theory]
    [InlineData("ai/smollm2")]
    [InlineData("ai/smollm2:latest")]
    [InlineData("docker.io/ai/smollm2")]
    [InlineData("index.docker.io/ai/smollm2:latest")]
    [InlineData("registry-1.docker.io/ai/smollm2")]
    [InlineData("  AI/SmolLM2  ")]
    public void Parse_SpellingsOfOneDockerHubModel_AreEqual(string text) =>
        Assert.Equal(ModelReference.Parse("smollm2"), ModelReference.Parse(text));

    [Fact]
    public void Parse_TagCase_IsKept()
    {
        var reference = ModelReference.Parse("ai/smollm2:360M-Q4_K_M");

        Assert.Equal("360M-Q4_K_M", reference.Tag);
        Assert.Equal("ai/smollm2:360M-Q4_K_M", reference.FamiliarName);
    }

    [Fact]
    public void Parse_RegistryWithPort_KeepsRegistryAndNamespace()
    {
        var reference = ModelReference.Parse("localhost:5000/model:v1");

        Assert.Equal("localhost:5000", reference.Registry);
        Assert.Equal("model", reference.Repository);
        Assert.Equal("localhost:5000/model:v1", reference.FamiliarName);
    }

    [Theory]
    [InlineData("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M")]
    [InlineData("huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M")]
    public void Parse_HuggingFace_KeepsHubCaseAndQuantization(string text)
    {
        var reference = ModelReference.Parse(text);

        Assert.True(reference.IsHuggingFace);
        Assert.Equal("hf.co", reference.Registry);
        Assert.Equal("bartowski/llama-3.2-1b-instruct-gguf", reference.Repository);
        Assert.Equal("bartowski/Llama-3.2-1B-Instruct-GGUF", reference.HuggingFaceRepository);
        Assert.Equal("Q4_K_M", reference.Tag);
        Assert.Equal("hf.co/bartowski/llama-3.2-1b-instruct-gguf:Q4_K_M", reference.FamiliarName);
    }

    [Fact]
    public void Parse_NameWithDigest_PinsWithoutDefaultTag()
    {
        var reference = ModelReference.Parse($"ai/smollm2@sha256:{Hex64}");

        Assert.Null(reference.Tag);
        Assert.Equal($"sha256:{Hex64}", reference.Digest?.ToString());
        Assert.Equal($"ai/smollm2@sha256:{Hex64}", reference.FamiliarName);
    }

    [Fact]
    public void Parse_TagAndDigest_KeepsBoth()
    {
        var reference = ModelReference.Parse($"ai/smollm2:v1@sha256:{Hex64}");

        Assert.Equal("v1", reference.Tag);
        Assert.Equal(Hex64, reference.Digest?.Hex);
    }

    [Theory]
    [InlineData("sha256:" + Hex64)]
    [InlineData(Hex64)]
    public void Parse_ModelId_IsIdOnly(string text)
    {
        var reference = ModelReference.Parse(text);

        Assert.True(reference.IsIdOnly);
        Assert.Equal(Hex64, reference.Digest?.Hex);
        Assert.Equal($"sha256:{Hex64}", reference.FamiliarName);
    }

    [Fact]
    public void Parse_TwelveHex_IsShortIdAndAlsoAName()
    {
        var reference = ModelReference.Parse("0123456789ab");

        Assert.Equal("0123456789ab", reference.ShortId);
        Assert.Equal("ai/0123456789ab", reference.Repository);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("../../etc/passwd", "'..'")]
    [InlineData("ai/../../outside", "'..'")]
    [InlineData("ai/./model", "'.'")]
    [InlineData("/etc/passwd", "must not start with '/'")]
    [InlineData("ai\\..\\model", "backslash")]
    [InlineData("ai//model", "empty path component")]
    [InlineData("ai/model/", "empty path component")]
    [InlineData("ai/mo del", "white space")]
    [InlineData("ai/mo\ndel", "white space")]
    [InlineData("ai/model\u0000x", "control characters")]
    [InlineData("ai/.hidden", "starting and ending with a letter or digit")]
    [InlineData("ai/model-", "starting and ending with a letter or digit")]
    [InlineData("ai/mod+el", "lowercase letters and digits")]
    [InlineData("ai/model:", "tag after ':' is empty")]
    [InlineData("ai/model:.hidden", "tag '.hidden'")]
    [InlineData("ai/model:a/b", "path component 'model:a'")]
    [InlineData("ai/model@sha256:abc", "3 hex digits")]
    [InlineData("ai/model@md5:abc", "only sha256")]
    [InlineData("ai/model@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "lowercase hex")]
    [InlineData("sha256:xyz", "3 hex digits")]
    [InlineData("bad_host.example:99999/model", "not a valid registry")]
    [InlineData("hf.co/org/repo/extra", "hf.co/org/repo")]
    public void Parse_MalformedOrEscapingReference_IsRejectedWithReason(string text, string reason)
    {
        var error = Assert.Throws<InvalidReferenceException>(() => ModelReference.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameLongerThanLimit_IsRejected()
    {
        var error = Assert.Throws<InvalidReferenceException>(() => ModelReference.Parse("ai/" + new string('a', 300)));

        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smollm2")]
    [InlineData("ai/smollm2:360M-Q4_K_M")]
    [InlineData("localhost:5000/team/model:v1")]
    [InlineData("[::1]:5000/model")]
    [InlineData("hf.co/Org/Repo:Q8_0")]
    [InlineData("ai/smollm2:v1@sha256:" + Hex64)]
    [InlineData("sha256:" + Hex64)]
    public void FamiliarName_ParsedAgain_GivesTheSameReference(string text)
    {
        var reference = ModelReference.Parse(text);

        Assert.Equal(reference, ModelReference.Parse(reference.FamiliarName));
        Assert.Equal(reference, ModelReference.Parse(reference.ToString()));
    }

    [Fact]
    public void WithTag_MalformedTag_IsRejected() =>
        Assert.Throws<InvalidReferenceException>(() => ModelReference.Parse("ai/model").WithTag("../x"));

    [Theory]
    [InlineData("sha256:" + Hex64, true)]
    [InlineData("sha256:" + "0123", false)]
    [InlineData("sha512:" + Hex64, false)]
    [InlineData("sha256:../../../../etc/passwd/0123456789abcdef0123456789abcdef0123456", false)]
    public void OciDigest_TryParse_AcceptsOnlyLowercaseSha256(string text, bool valid) =>
        Assert.Equal(valid, OciDigest.TryParse(text, out _));
}
