using System.Net;
using System.Net.Http.Headers;

namespace ModelRunner.Api.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task UnknownRoute_AnswersInTheFamilysErrorShape()
    {
        await using var server = await TestServer.StartAsync();

        var openAi = await server.Http.GetAsync("/v1/nothing-here");
        var ollama = await server.Http.GetAsync("/api/nothing-here");
        var anthropic = await server.Http.GetAsync("/anthropic/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, openAi.StatusCode);
        Assert.Contains("\"error\":{", await openAi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":\"", await ollama.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"error\"", await anthropic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_Required_RefusesMissingOrWrongKeysButNotTheRoot()
    {
        await using var server = await TestServer.StartAsync(options => options with { ApiKey = "s3cret" });

        var anonymous = await server.Http.GetAsync("/v1/models");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } };
        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
        using var anthropicKey = new HttpRequestMessage(HttpMethod.Get, "/anthropic/v1/nothing") { Headers = { { "x-api-key", "s3cret" } } };

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(right)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(anthropicKey)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Cors_LocalhostOriginAllowed_OtherOriginsNot()
    {
        await using var server = await TestServer.StartAsync(options => options with { AllowedOrigins = ["https://app.example"] });

        async Task<string?> AllowedAsync(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/models");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            var response = await server.Http.SendAsync(preflight);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal("http://localhost:3000", await AllowedAsync("http://localhost:3000"));
        Assert.Equal("https://app.example", await AllowedAsync("https://app.example"));
        Assert.Null(await AllowedAsync("https://evil.example"));
    }

    [Fact]
    public async Task DemoModel_IsPackagedOnStart()
    {
        await using var server = await TestServer.StartAsync();

        Assert.NotNull(server.Distribution.Store.Find(TestServer.Model));
    }
}
