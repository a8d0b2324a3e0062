using Microsoft.Playwright;
using Sdes.Tests.Integration;

namespace Sdes.Tests.Browser;

/// <summary>The real app plus Debian's Chromium driven by Playwright (never Playwright's own browser download).</summary>
public class BrowserFixture : AppFixture, IAsyncLifetime
{
    private IPlaywright? _playwright;

    // Production-like: only the per-event check can sign an open page out within seconds.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:RevalidationInterval"] = "00:01:00" };

    public IBrowser Browser { get; private set; } = default!;

    public static string ScreenshotFolder
    {
        get
        {
            var folder = Path.Combine(Environment.GetEnvironmentVariable("SDES_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"),
                "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Runs before the app starts (e.g. to start a server the app's settings point at).</summary>
    protected virtual Task BeforeAppStartsAsync() => Task.CompletedTask;

    protected virtual Task AfterDisposeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await BeforeAppStartsAsync();
        await InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await DisposeAsync();
        await AfterDisposeAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Browser console errors, reported when a page fails to become interactive.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> ConsoleErrors { get; } = [];

    /// <summary>Navigates and waits until the page is interactive (the circuit is connected).</summary>
    public static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page, path);
    }

    public static async Task WaitInteractiveAsync(IPage page, string path)
    {
        try
        {
            await page.Locator("#sdes-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException ex)
        {
            await ScreenshotAsync(page, "not-interactive-" + path.Trim('/').Replace('/', '-'));
            throw new TimeoutException($"{path} did not become interactive. Console errors: {string.Join(" | ", ConsoleErrors)}", ex);
        }
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>A full-page screenshot from the top (so the fixed app bar sits where a user sees it), with CSS transitions
    /// finished, so an opening popover or menu is captured as the user sees it, not half faded in.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotFolder, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }
}
