using Microsoft.Playwright;

namespace ModelRunner.Dashboard.Tests.Support;

/// <summary>
/// Headless Chromium driven by Playwright, shared by the tests of a collection (each test opens
/// its own context). Playwright cannot download browsers here, so it drives the Chromium that
/// Debian packages (<c>eng/install-test-deps.sh</c> installs it); <c>MODEL_RUNNER_CHROMIUM</c>
/// points at another. A missing browser fails the tests, it never skips them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser has not started");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("MODEL_RUNNER_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"no Chromium at {executable}: run eng/install-test-deps.sh as root (it runs apt-get install chromium), or set MODEL_RUNNER_CHROMIUM");
        }

        // Waits for what a test expects happen on a busy two-core machine too.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
