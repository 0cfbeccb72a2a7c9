using ModelRunner.Distribution.References;
using ModelRunner.Distribution.Registry;

namespace ModelRunner.Distribution.Tests.Registry;

public sealed class RegistryEndpointsTests
{
    [Theory]
    [InlineData("ai/smollm2", "https://registry-1.docker.io/")]
    [InlineData("localhost:5000/me/model", "http://localhost:5000/")]
    [InlineData("127.0.0.1:5000/me/model", "http://127.0.0.1:5000/")]
    [InlineData("127.1.2.3:5000/me/model", "http://127.1.2.3:5000/")]
    [InlineData("[::1]:5000/me/model", "http://[::1]:5000/")]
    [InlineData("registry.example.com/me/model", "https://registry.example.com/")]
    [InlineData("10.0.0.7:5000/me/model", "https://10.0.0.7:5000/")]
    public void Resolve_NothingConfigured_PlainHttpOnlyForLoopback(string reference, string expected) =>
        Assert.Equal(expected, new RegistryEndpoints([]).Resolve(ModelReference.Parse(reference), null, null).BaseUri.AbsoluteUri);

    [Theory]
    [InlineData("10.0.0.7:5000", "10.0.0.7:5000/me/model", "http://10.0.0.7:5000/")]
    [InlineData("*", "registry.example.com/me/model", "http://registry.example.com/")]
    [InlineData("other:5000", "10.0.0.7:5000/me/model", "https://10.0.0.7:5000/")]
    public void Resolve_InsecureRegistryConfigured_UsesPlainHttpForIt(string insecure, string reference, string expected) =>
        Assert.Equal(expected, new RegistryEndpoints([insecure]).Resolve(ModelReference.Parse(reference), null, null).BaseUri.AbsoluteUri);

    [Fact]
    public void Resolve_Mirror_KeepsTheRepositoryAndGoesToTheMirror()
    {
        var target = new RegistryEndpoints([]).Resolve(ModelReference.Parse("ai/smollm2"), new Uri("http://peer:12434/anything"), null);

        Assert.Equal("http://peer:12434/v2/ai/smollm2/manifests/latest", target.Manifest("latest").AbsoluteUri);
    }

    [Fact]
    public void ParseParameters_QuotedValuesWithCommas_AreKeptWhole()
    {
        var parameters = AuthChallenge.ParseParameters("realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:ai/x:pull,push\", error=insufficient_scope");

        Assert.Equal("https://auth.example.com/token", parameters["realm"]);
        Assert.Equal("registry.example.com", parameters["service"]);
        Assert.Equal("repository:ai/x:pull,push", parameters["scope"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
    }
}
