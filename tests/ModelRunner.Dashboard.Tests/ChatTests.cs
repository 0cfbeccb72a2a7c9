using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ModelRunner.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ModelRunner.Dashboard.Tests;

/// <summary>The chat playground, the request log and the charts it feeds, against the demo model.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatTests(BrowserFixture browser)
{
    [Fact]
    public async Task Chat_StreamsAnAnswer_AndASecondMessageContinuesTheSameServerConversation()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync("chat");
        await Expect(page.Locator("#chat-model")).ToHaveValueAsync(DashboardServer.Model);
        await page.GetByText("System prompt and sampling").ClickAsync();
        await page.GetByLabel("System prompt").FillAsync("You answer briefly.");
        await page.GetByLabel("Max tokens").FillAsync("12");
        // Where the log sits in the page and how tall the page is: streaming must change neither.
        const string layout = "() => { const log = document.querySelector('#chat-log').getBoundingClientRect(); return [log.top + scrollY, log.height, log.width, document.documentElement.scrollHeight].join(' '); }";
        var before = await page.EvaluateAsync<string>(layout);

        var streamed = page.WaitForResponseAsync(response => response.Url.EndsWith("/v1/chat/completions", StringComparison.Ordinal));
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello there");
        await page.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
        var first = page.Locator("#chat-log .message.assistant").Nth(0);
        await Expect(first).ToHaveAttributeAsync("data-done", "true");
        await Expect(first.Locator(".stats")).ToContainTextAsync("tokens/s");
        Assert.Equal("text/event-stream", (await (await streamed).HeaderValueAsync("content-type"))?.Split(';')[0]);
        Assert.NotEmpty(await first.Locator(".content").InnerTextAsync());

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("And once more");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var second = page.Locator("#chat-log .message.assistant").Nth(1);
        await Expect(second).ToHaveAttributeAsync("data-done", "true");
        Assert.Equal(before, await page.EvaluateAsync<string>(layout));
        await dashboard.ScreenshotAsync("chat");

        // The server holds the whole conversation; the second request carried only the new message.
        var id = (await page.Locator("#chat-conversation").InnerTextAsync()).Replace("Conversation ", "", StringComparison.Ordinal);
        using var items = JsonDocument.Parse(await server.Http.GetStringAsync($"/v1/conversations/{id}/items?order=asc"));
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], items.RootElement.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("role").GetString()));
        var requests = await server.Http.GetFromJsonAsync<JsonElement>("/engines/requests");
        var last = requests.EnumerateArray().Last().GetProperty("request").GetString()!;
        Assert.Contains("And once more", last, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello there", last, StringComparison.Ordinal);

        // Reopened after a reload, from the list of conversations.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Hello there", Exact = true }).ClickAsync();
        await Expect(page.Locator("#chat-log .message")).ToHaveCountAsync(5);
        await Expect(page.Locator("#chat-log .message.user").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("And once more"));

        Assert.Empty(dashboard.Errors);
    }

    [Fact]
    public async Task Requests_AreListedLive_WithTheirBodies_AndChartedPerModel()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server.BaseAddress);
        var page = dashboard.Page;
        await dashboard.GotoAsync("requests");
        await Expect(page.Locator("#requests-live")).ToHaveTextAsync("Live");

        // Sent by another client while the page is open: it arrives over the live stream.
        var chat = await server.Http.PostAsJsonAsync("/engines/v1/chat/completions", new { model = "ai/tiny-random", messages = new[] { new { role = "user", content = "Count to three" } }, max_tokens = 8 });
        chat.EnsureSuccessStatusCode();
        var row = page.Locator("#requests-table tbody tr[data-request]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("/engines/v1/chat/completions");
        await Expect(row).ToContainTextAsync("200");

        await row.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#requests-table .request-body")).ToContainTextAsync("Count to three");
        await Expect(page.Locator("#requests-table .response-body")).Not.ToBeEmptyAsync();
        await dashboard.ScreenshotAsync("requests");

        await dashboard.ShowAsync("Charts");
        await Expect(page.Locator("#chart-speed path[data-model='ai/tiny-random']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-ttft path[data-model='ai/tiny-random']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#charts-legend")).ToContainTextAsync("ai/tiny-random");
        await dashboard.ScreenshotAsync("charts");

        Assert.Empty(dashboard.Errors);
    }
}
