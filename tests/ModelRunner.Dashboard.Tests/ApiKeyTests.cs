using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>With MODEL_RUNNER_API_KEY set, the page loads but asks for the key before it shows anything.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiKeyTests(BrowserFixture browser)
{
    [Fact]
    public async Task ApiKey_ThePromptAppears_AWrongKeyIsRefused_AndTheRightOneUnlocksTheData()
    {
        await using var server = await DashboardServer.StartAsync(apiKey: "s3cret");
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync();

        var login = page.GetByRole(AriaRole.Region, new() { Name = "This server needs an API key" });
        await Expect(login).ToBeVisibleAsync();
        await Expect(login.GetByRole(AriaRole.Alert)).ToContainTextAsync("a valid API key is required");
        await Expect(page.Locator("#models-table tbody tr")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("api-key");

        await login.GetByLabel("API key").FillAsync("wrong");
        await login.GetByLabel("API key").PressAsync("Enter");
        await Expect(login.GetByRole(AriaRole.Alert)).ToContainTextAsync("The key was refused");

        await login.GetByLabel("API key").FillAsync("s3cret");
        await login.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(login).ToBeHiddenAsync();
        await Expect(page.Locator($"#models-table tr[data-model='{DashboardServer.Model}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#requests-live")).ToHaveTextAsync("Live");

        Assert.Empty(dashboard.ErrorsBesides(401));
    }
}
