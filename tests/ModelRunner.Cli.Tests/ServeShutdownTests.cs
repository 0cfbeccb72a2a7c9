using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ModelRunner.Cli.Tests;

/// <summary>
/// <c>modelrunner serve</c> as a real process stopped the way <c>docker stop</c>, systemd and
/// Kubernetes stop it: SIGTERM, while a generation is streaming.
/// </summary>
public sealed partial class ServeShutdownTests
{
    [Fact]
    public async Task Sigterm_WhileGenerating_ExitsZeroWithin10SecondsAndKeepsStoredResponses()
    {
        var home = Directory.CreateTempSubdirectory("modelrunner-cli-sigterm-").FullName;
        try
        {
            string responseId;
            using (var server = await StartAsync(home))
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

            using var restarted = await StartAsync(home);
            using var again = new HttpClient { BaseAddress = restarted.Address };
            var stored = await again.GetFromJsonAsync<JsonObject>($"/v1/responses/{responseId}");
            Assert.Equal(responseId, stored!["id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<RunningServer> StartAsync(string home)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { CliProcess.Dll, "serve", "--port", "0", "--home", home, "--demo" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("modelrunner serve did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = process.StandardError.ReadToEndAsync();
                return new RunningServer(process, new Uri(match.Groups[1].Value));
            }
        }

        throw new InvalidOperationException($"modelrunner serve exited ({process.ExitCode}) before it listened");
    }

    [GeneratedRegex(@"listening on (http://\S+?)/? ")]
    private static partial Regex Listening();

    private sealed record RunningServer(Process Process, Uri Address) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
