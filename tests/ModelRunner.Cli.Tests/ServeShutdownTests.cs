using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelRunner.Cli.Tests;

/// <summary>
/// <c>modelrunner serve</c> as a real process stopped the way <c>docker stop</c>, systemd and
/// Kubernetes stop it: SIGTERM, while a generation is streaming.
/// </summary>
public sealed class ServeShutdownTests
{
    [Fact]
    public async Task Sigterm_WhileGenerating_ExitsZeroWithin10SecondsAndKeepsStoredResponses()
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-cli-sigterm-").FullName;
        try
        {
            string responseId;
            await using (var server = await StartAsync(home))
            {
                using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
                var created = await http.PostAsJsonAsync("/v1/responses", new JsonObject { ["model"] = CliServer.Model, ["input"] = "Remember me.", ["max_output_tokens"] = 8 });
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
                responseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

                // A generation that would run far longer than any grace period.
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
                {
                    Content = JsonContent.Create(new JsonObject
                    {
                        ["model"] = CliServer.Model,
                        ["stream"] = true,
                        ["max_tokens"] = 1_000_000,
                        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Go on forever." }),
                    }),
                };
                using var streaming = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                using var body = new StreamReader(await streaming.Content.ReadAsStreamAsync());
                Assert.NotNull(await body.ReadLineAsync());

                using var kill = Process.Start("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await server.Process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail("serve did not exit within 10 s of SIGTERM");
                }

                Assert.Equal(0, server.Process.ExitCode);
            }

            await using var restarted = await StartAsync(home);
            using var again = new HttpClient { BaseAddress = restarted.Address };
            var stored = await again.GetFromJsonAsync<JsonObject>($"/v1/responses/{responseId}");
            Assert.Equal(responseId, stored!["id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static Task<ServeProcess> StartAsync(string home) => ServeProcess.StartAsync(home, "--demo");
}
