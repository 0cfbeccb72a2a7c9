using Microsoft.Playwright;

namespace ModelRunner.Dashboard.Tests.Support;

/// <summary>
/// The dashboard open in a fresh browser context: it collects the page's console errors and
/// uncaught exceptions, and saves screenshots where test results go
/// (<c>.test-results/dashboard/</c> at the repository root, or <c>MODEL_RUNNER_SCREENSHOTS</c>).
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private DashboardPage(IBrowserContext context, IPage page, Uri server)
    {
        _context = context;
        Page = page;
        Server = server;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"uncaught: {error}");
            }
        };
    }

    public IPage Page { get; }

    public Uri Server { get; }

    /// <summary>What the page reported as errors so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// The errors left once the browser's own reports of the given HTTP statuses are set aside: a
    /// test that provokes a 400 or a 401 on purpose expects Chromium to log the failed fetch.
    /// </summary>
    public IReadOnlyList<string> ErrorsBesides(params int[] statuses) =>
        [.. Errors.Where(error => !statuses.Any(status => error.Contains($"the server responded with a status of {status}", StringComparison.Ordinal)))];

    public static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri server, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        return new DashboardPage(context, page, server);
    }

    /// <summary>Navigates to the dashboard at <paramref name="path"/> (<c>/</c> by default), showing <paramref name="view"/>.</summary>
    public async Task GotoAsync(string view = "models", string path = "/")
    {
        var response = await Page.GotoAsync(new Uri(Server, path + "#" + view).ToString());
        Assert.True(response is { Ok: true }, $"the dashboard did not load: {response?.Status}");
    }

    /// <summary>Switches view the way a person does: the link in the navigation.</summary>
    public async Task ShowAsync(string view)
    {
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Link, new() { Name = view, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator($"#view-{view.ToLowerInvariant()}")).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }

    public static string Folder { get; } = Environment.GetEnvironmentVariable("MODEL_RUNNER_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(RepositoryRoot(), ".test-results", "dashboard");

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelRunner.sln")))
            {
                return folder.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
