using ComplianceHub.Tests.Shared;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>The real portal on Kestrel (a free port) with the demo data, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private TestDatabase database = null!;
    private PortalFactory portal = null!;
    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The portal's services, for arranging data through the real command pipeline (never around it).</summary>
    public IServiceProvider Services => portal.Services;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("e2e");
        // UseKestrel on the factory instance itself (not WithWebHostBuilder), port 0 = a free port.
        portal = new PortalFactory(database);
        portal.UseKestrel(0);
        portal.StartServer();
        await portal.SeedDemoAsync();
        BaseUrl = portal.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        // Two cores run the portal, the database and Chromium — and, in the full run, the integration tests beside them
        // (the 50,000-row import among them): give the UI time, never retry a test. A passing step waits no longer.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless, quiet (no background networking, updates or sync).</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
    });

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await portal.DisposeAsync();
        await database.DisposeAsync();
    }
}

/// <summary>Signing in through the banner and the sign-in form, as a person does.</summary>
public static class Session
{
    public static async Task SignInAsync(IPage page, string email, string password = Core.Data.Seeding.DemoSeeder.DemoPassword)
    {
        await page.GotoAsync("/consent");
        await page.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome," })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
    }
}

/// <summary>Waits until the Blazor circuit is connected (the layout marks it), so clicks are not lost during start-up.</summary>
public static class Interactive
{
    public static Task WaitAsync(IPage page) =>
        Assertions.Expect(page.Locator("main[data-interactive='true']")).ToBeVisibleAsync();
}

/// <summary>
/// Choosing from a MudAutocomplete: type, click the option, and check the choice took. A live preview answering in the
/// same dialog re-renders it, and a re-render between typing and clicking can close the list (the option is detached
/// and never comes back), so the search is typed again until the choice shows — at most three times.
/// </summary>
public static class Autocomplete
{
    public static async Task ChooseAsync(IPage page, ILocator input, string search, PageGetByRoleOptions option, Func<Task> chosen)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await input.FillAsync("");
                await input.FillAsync(search);
                await page.GetByRole(AriaRole.Option, option).First.ClickAsync(new() { Timeout = 10_000 });
                await chosen();
                return;
            }
            catch (Exception e) when (attempt < 3 && e is TimeoutException or PlaywrightException)
            {
                // The list closed under us; type the search again.
            }
        }
    }
}

/// <summary>
/// Choosing from a MudSelect: open it by its label, click the option, and check the select shows it. A dialog that loads
/// its options after it opens, or a live preview re-rendering it, can close the list under the click; the choice is
/// then made again — at most three times.
/// </summary>
public static class Select
{
    public static async Task ChooseAsync(IPage page, ILocator scope, string label, string option)
    {
        var field = scope.GetByLabel(label, new() { Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await field.ClickAsync();
                await page.GetByRole(AriaRole.Option, new() { Name = option }).ClickAsync(new() { Timeout = 10_000 });
                await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0, new() { Timeout = 10_000 });
                await ShowsAsync(scope.Locator(".mud-select").Filter(new() { Has = page.GetByLabel(label, new() { Exact = true }) }).First, option);
                return;
            }
            catch (Exception e) when (attempt < 3 && e is TimeoutException or PlaywrightException)
            {
                if (await page.GetByRole(AriaRole.Listbox).CountAsync() > 0)
                {
                    await field.ClickAsync(); // close the list left open (Escape would close the dialog), then choose again
                }
            }
        }
    }

    /// <summary>Waits until the select shows the option, as its text or as its input's value (whichever MudBlazor renders).</summary>
    private static async Task ShowsAsync(ILocator select, string option)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await select.EvaluateAsync<bool>(
                   "(el, text) => (el.innerText + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' ')).includes(text)", option))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The select does not show \"{option}\" after choosing it.");
            }
            await Task.Delay(200);
        }
    }
}

/// <summary>The live rule preview of a form (RulePreview): a failed expectation says what the preview showed instead.</summary>
public static class Preview
{
    public static async Task ExpectOkAsync(IPage page, string testId, string text)
    {
        var preview = page.GetByTestId(testId);
        try
        {
            await Assertions.Expect(preview.GetByTestId("preview-ok")).ToHaveTextAsync(text);
        }
        catch (PlaywrightException e)
        {
            var shown = await preview.AllInnerTextsAsync();
            var form = await page.GetByRole(AriaRole.Dialog).AllInnerTextsAsync();
            throw new InvalidOperationException(
                $"The preview did not say \"{text}\"; it says:\n{string.Join("\n", shown)}\nThe dialog says:\n{string.Join("\n", form)}", e);
        }
    }
}

public static class Dialogs
{
    /// <summary>
    /// Waits for the dialog to close after its submit; if it stays open (the change was refused or a field is missing),
    /// the failure names what the dialog says instead of only "timeout".
    /// </summary>
    public static async Task ExpectClosedAsync(IPage page)
    {
        var dialog = page.GetByRole(AriaRole.Dialog);
        try
        {
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
        }
        catch (PlaywrightException e)
        {
            var text = await dialog.AllInnerTextsAsync();
            throw new InvalidOperationException($"The dialog stayed open; it says:\n{string.Join("\n", text)}", e);
        }
    }
}

/// <summary>Screenshots for a human look, written only when E2E_SCREENSHOTS names a folder.</summary>
public static class Screens
{
    public static async Task CaptureAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("E2E_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}

/// <summary>axe-core on the current page: no serious or critical violation (WCAG 2.1 AA).</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var serious = await ViolationsAsync(page, seriousOnly: true);
        Assert.True(serious.Count == 0, $"axe found on {page.Url}:\n{string.Join("\n", serious)}");
    }

    /// <summary>The violations axe finds on the page (WCAG 2.1 A and AA, and best practice), each described on one line with the page's address.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, bool seriousOnly)
    {
        // A snackbar fades in and out (its opacity animates), and axe would measure the contrast of a half-faded
        // message; its steady colours are the theme's. Check the page once the messages are gone.
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        // Likewise a dialog or menu that is still fading in: wait for every finite animation to end (spinners run forever and
        // are left alone), at most five seconds.
        await page.EvaluateAsync("""
            () => Promise.race([
                Promise.all(document.getAnimations()
                    .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
                    .map(a => a.finished.catch(() => null))),
                new Promise(resolve => setTimeout(resolve, 5000))])
            """);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        return result.Violations
            .Where(v => !seriousOnly || v.Impact is "serious" or "critical")
            .Select(v => $"{page.Url} {v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target) + " " + n.Html))}")
            .ToList();
    }
}
