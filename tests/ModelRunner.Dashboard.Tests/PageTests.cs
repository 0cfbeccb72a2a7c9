using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>The page itself: how it is served, that it loads cleanly, lists models and is usable by keyboard and on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Root_GivesBrowsersThePage_AndOtherClientsDmrsText()
    {
        await using var server = await DashboardServer.StartAsync();

        using var asBrowser = new HttpRequestMessage(HttpMethod.Get, "/");
        asBrowser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var page = await server.Http.SendAsync(asBrowser);
        var text = await server.Http.GetAsync("/");
        var dashboard = await server.Http.GetAsync("/dashboard");
        var script = await server.Http.GetAsync("/dashboard/app.js");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>ModelRunner</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ModelRunner is running\n", await text.Content.ReadAsStringAsync());
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/dashboard/nothing.js")).StatusCode);
    }

    [Fact]
    public async Task Page_LoadsWithoutConsoleErrors_AndListsTheDemoModel()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);

        await dashboard.GotoAsync();

        var row = dashboard.Page.Locator($"#models-table tr[data-model='{DashboardServer.Model}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("llama");
        await Expect(dashboard.Page.Locator("#engine")).ToContainTextAsync("llama.cpp");
        await dashboard.ScreenshotAsync("models");
        foreach (var view in new[] { "Loaded", "Requests", "Charts", "Chat", "Settings", "Cluster" })
        {
            await dashboard.ShowAsync(view);
            await dashboard.ScreenshotAsync(view.ToLowerInvariant() + "-empty");
        }

        Assert.Empty(dashboard.Errors);
    }

    [Fact]
    public async Task Cluster_ListsTheNodesWithTheirStatus()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        await dashboard.GotoAsync();

        await dashboard.ShowAsync("Cluster");

        var rows = dashboard.Page.Locator("#cluster-nodes tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("active");
        await dashboard.ScreenshotAsync("cluster-nodes");
        Assert.Empty(dashboard.Errors);
    }

    [Fact]
    public async Task Views_AreReachedByKeyboard_AndFocusLandsOnTheViewsHeading()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync();
        await Expect(page.Locator($"#models-table tr[data-model='{DashboardServer.Model}']")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Requests", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#view-requests")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Requests", Exact = true })).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Requests", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("#view-models")).ToBeHiddenAsync();
        Assert.Empty(dashboard.Errors);
    }

    [Fact]
    public async Task PhoneWidth_InTheDarkScheme_EveryViewFitsWithoutSidewaysScrolling()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            ColorScheme = ColorScheme.Dark,
            IsMobile = true,
            HasTouch = true,
        });
        var page = dashboard.Page;
        await dashboard.GotoAsync();
        await Expect(page.Locator($"#models-table tr[data-model='{DashboardServer.Model}']")).ToBeVisibleAsync();

        // The dark palette applies: the page's background is dark.
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(15, 18, 22)", background);
        foreach (var view in new[] { "Models", "Loaded", "Requests", "Charts", "Chat", "Settings", "Cluster" })
        {
            await dashboard.ShowAsync(view);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"the {view} view is {overflow}px wider than a phone's screen");
            await dashboard.ScreenshotAsync($"phone-dark-{view.ToLowerInvariant()}");
        }

        Assert.Empty(dashboard.Errors);
    }
}
