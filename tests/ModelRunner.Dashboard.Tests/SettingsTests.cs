using System.Net.Http.Json;
using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>Per-model settings go through /engines/_configure: its validation, its words.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsTests(BrowserFixture browser)
{
    [Fact]
    public async Task BadSetting_ShowsTheApisOwnError_AndAGoodOneIsSavedOnTheServer()
    {
        await using var server = await DashboardServer.StartAsync();
        var refused = await server.Http.PostAsJsonAsync("/engines/_configure", new Dictionary<string, object> { ["model"] = DashboardServer.Model, ["context-size"] = 5, ["runtime-flags"] = Array.Empty<string>() });
        var apiWords = (await refused.Content.ReadAsStringAsync()).Trim();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync("settings");
        await Expect(page.Locator("#view-settings").GetByLabel("Model")).ToHaveValueAsync(DashboardServer.Model);

        await page.GetByLabel("Context size (tokens)").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#settings-error")).ToHaveTextAsync($"{(int)refused.StatusCode}: {apiWords}");
        await dashboard.ScreenshotAsync("settings-error");

        await page.GetByLabel("Context size (tokens)").FillAsync("1024");
        await page.GetByLabel("Keep-alive").FillAsync("10m");
        await page.GetByLabel("Runtime flags").FillAsync("--temp 0.2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#settings-result")).ToHaveTextAsync($"Saved for {DashboardServer.Model}.");
        await Expect(page.Locator("#settings-error")).ToBeHiddenAsync();

        var saved = await server.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/engines/_configure?model=ai/tiny-random");
        Assert.Equal(1024, saved.GetProperty("context-size").GetInt32());
        Assert.Equal("10m0s", saved.GetProperty("keep_alive").GetString());
        Assert.Equal(["--temp", "0.2"], saved.GetProperty("runtime-flags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.Empty(dashboard.ErrorsBesides(400));
    }
}
