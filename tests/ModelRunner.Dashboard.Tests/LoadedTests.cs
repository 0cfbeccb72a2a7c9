using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>Loaded models: memory against the budget, keep-alive and unloading.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoadedTests(BrowserFixture browser)
{
    [Fact]
    public async Task Unload_EmptiesTheLoadedList()
    {
        await using var server = await DashboardServer.StartAsync();
        using var preload = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "ai/tiny-random", messages = new[] { new { role = "user", content = "Hi" } } }),
            Headers = { { "X-Preload-Only", "true" } },
        };
        (await server.Http.SendAsync(preload)).EnsureSuccessStatusCode();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;

        await dashboard.GotoAsync("loaded");
        var row = page.Locator($"#loaded-table tr[data-model='{DashboardServer.Model}']");
        await Expect(row).ToContainTextAsync("Idle");
        await Expect(row).ToContainTextAsync("5m0s");
        await Expect(row.Locator("td[data-expires]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+m \d+s$"));
        await Expect(page.Locator("#memory-text")).ToContainTextAsync("budget");
        await Expect(page.Locator("#memory-bar span")).ToHaveCountAsync(1);
        await dashboard.ScreenshotAsync("loaded");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Unload {DashboardServer.Model}" }).ClickAsync();

        await Expect(page.Locator("#loaded-empty")).ToBeVisibleAsync();
        await Expect(page.Locator("#loaded-table tbody tr")).ToHaveCountAsync(0);
        Assert.Empty((await server.Http.GetFromJsonAsync<JsonElement>("/engines/ps")).EnumerateArray());
        Assert.Empty(dashboard.Errors);
    }
}
