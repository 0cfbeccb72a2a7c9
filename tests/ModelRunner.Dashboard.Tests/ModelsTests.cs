using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using ModelRunner.Distribution.Testing;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>Models in the store: push, delete and pull against a real registry on loopback; tag.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelsTests(BrowserFixture browser)
{
    [Fact]
    public async Task PushDeleteAndPull_AgainstALoopbackRegistry_ShowProgressAndEndListed()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var server = await DashboardServer.StartAsync();
        var reference = $"{registry.Host}/test/dashboard:v1";
        await server.PackageAsync(reference, seed: 7);
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync();
        var row = page.Locator($"#models-table tr[data-model='{reference}']");
        await Expect(row).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Push {reference}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = $"Push {reference}" })).ToHaveAttributeAsync("data-done", "success");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {reference}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync(reference);
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(row).ToHaveCountAsync(0);

        await page.GetByLabel("Pull a model").FillAsync(reference);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pull", Exact = true }).ClickAsync();
        var pull = page.GetByRole(AriaRole.Region, new() { Name = $"Pull {reference}" });
        await Expect(pull).ToHaveAttributeAsync("data-done", "success");
        var layers = pull.Locator("progress");
        Assert.True(await layers.CountAsync() >= 1, "the pull showed no layer progress");
        foreach (var layer in await layers.AllAsync())
        {
            Assert.Equal(await layer.GetAttributeAsync("max") ?? "max", await layer.EvaluateAsync<string>("bar => String(bar.value)"));
        }

        await Expect(row).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("pull");
        Assert.Empty(dashboard.Errors);
    }

    [Fact]
    public async Task Tag_AddsAName_AndDeletingALoadedModelShowsTheApisConflictInTheDialog()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Tag {DashboardServer.Model}" }).ClickAsync();
        var tag = page.GetByRole(AriaRole.Dialog, new() { Name = "Tag" });
        await tag.GetByLabel("Repository").FillAsync("me/tiny");
        await tag.GetByLabel("Tag", new() { Exact = true }).FillAsync("v2");
        await tag.GetByRole(AriaRole.Button, new() { Name = "Tag" }).ClickAsync();
        await Expect(page.Locator("#models-table tr[data-model='me/tiny:v2']")).ToBeVisibleAsync();

        using var preload = new HttpRequestMessage(HttpMethod.Post, "/engines/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "me/tiny:v2", messages = new[] { new { role = "user", content = "Hi" } } }),
            Headers = { { "X-Preload-Only", "true" } },
        };
        (await server.Http.SendAsync(preload)).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete me/tiny:v2" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete me/tiny:v2?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(confirm.GetByRole(AriaRole.Alert)).ToHaveTextAsync("409: model 'me/tiny:v2' is loaded; unload it first, or delete with force");
        await dashboard.ScreenshotAsync("delete-conflict");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(page.Locator("#models-table tr[data-model='me/tiny:v2']")).ToBeVisibleAsync();

        // A row's buttons open the other views on that model.
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with me/tiny:v2" }).ClickAsync();
        await Expect(page.Locator("#chat-model")).ToHaveValueAsync("me/tiny:v2");
        await dashboard.ShowAsync("Models");
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings of me/tiny:v2" }).ClickAsync();
        await Expect(page.Locator("#settings-model")).ToHaveValueAsync("me/tiny:v2");

        Assert.Empty(dashboard.ErrorsBesides(409));
    }
}
