using System.Net;
using System.Text;
using System.Text.Json;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Api.Tests.Errors;

/// <summary>
/// A server's own failure, through the real server: a model whose weights were damaged on disk.
/// The client gets a 500 in its family's shape with a request id and nothing of the failure
/// (no path, no exception); the server log has the details under that id.
/// </summary>
public sealed class ErrorHandlingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Broken = "ai/damaged-on-disk";

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"ai/damaged-on-disk","messages":[{"role":"user","content":"Hi"}],"max_tokens":1}""")]
    [InlineData("/api/chat", """{"model":"ai/damaged-on-disk","messages":[{"role":"user","content":"Hi"}],"stream":false}""")]
    [InlineData("/anthropic/v1/messages", """{"model":"ai/damaged-on-disk","max_tokens":1,"messages":[{"role":"user","content":"Hi"}]}""")]
    public async Task ServerFailure_IsAGeneric500WithARequestId_AndTheLogHasTheDetails(string path, string body)
    {
        await DamagedModelAsync();

        using var response = await fixture.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Contains($"request id {requestId}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.Home, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        Assert.NotNull(path.StartsWith("/api", StringComparison.Ordinal) ? document.RootElement.GetProperty("error").GetString()
            : path.StartsWith("/anthropic", StringComparison.Ordinal) ? document.RootElement.GetProperty("error").GetProperty("message").GetString()
            : document.RootElement.GetProperty("error").GetProperty("message").GetString());
        var log = await fixture.Http.GetStringAsync("/logs");
        var line = Assert.Single(log.Split('\n'), line => line.Contains($"request id {requestId}", StringComparison.Ordinal));
        Assert.Contains("failed", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e30")]
    [InlineData("1.7e308")]
    [InlineData("\"99999999999h\"")]
    public async Task OllamaChat_HugeKeepAlive_KeepsTheModelForever(string keepAlive)
    {
        using var response = await fixture.Http.PostAsync("/api/chat", new StringContent(
            $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hi"}],"stream":false,"options":{"num_predict":1},"keep_alive":{{keepAlive}}}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var ps = JsonDocument.Parse(await fixture.Http.GetStringAsync("/engines/ps"));
        var model = Assert.Single(ps.RootElement.EnumerateArray(), entry => entry.GetProperty("model").GetString()!.StartsWith(TestServer.Model, StringComparison.Ordinal));
        Assert.Equal("-1", model.GetProperty("keep_alive").ToString());
    }

    [Fact]
    public async Task OllamaChat_KeepAliveBeyondADouble_Is400NamingTheField()
    {
        using var response = await fixture.Http.PostAsync("/api/chat", new StringContent(
            $$"""{"model":"{{TestServer.Model}}","messages":[{"role":"user","content":"Hi"}],"stream":false,"keep_alive":1e400}""", Encoding.UTF8, "application/json"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("keep_alive", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Packages a model, then overwrites its weights with bytes that are not a GGUF (once per server).</summary>
    private async Task DamagedModelAsync()
    {
        if (fixture.Server.Distribution.Store.Find(Broken) is not null)
        {
            return;
        }

        await fixture.Server.PackageAsync(Broken, TestModelShape.Tiny, seed: 5);
        var gguf = fixture.Server.Distribution.Store.Get(Broken).GgufPaths[0];
        File.SetAttributes(gguf, FileAttributes.Normal);
        await File.WriteAllBytesAsync(gguf, Encoding.ASCII.GetBytes("this is not a model"));
    }
}
