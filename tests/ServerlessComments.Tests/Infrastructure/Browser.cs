using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// The machine's Chromium or Chrome (<see cref="ChromiumLocator"/>: CHROMIUM_PATH, else the PATH;
/// ./test.sh installs Debian's chromium when there is none), driven by Playwright, headless.
/// Playwright never downloads a browser here: it is only ever given this one. Launched on first use
/// and closed with the collection. No browser: a skip, except in CI (a failure).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static string? ChromiumPath { get; } = ChromiumLocator.Find();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task<IBrowser> BrowserAsync()
    {
        if (ChromiumPath is null)
        {
            if (Repo.InCi)
                throw new FileNotFoundException("CI needs a Chromium: ./test.sh installs Debian's (apt-get install -y chromium), or set CHROMIUM_PATH.");
            Assert.Skip("No Chromium or Chrome found (CHROMIUM_PATH, or chromium, chromium-browser, google-chrome on the PATH): " +
                                    "set CHROMIUM_PATH, or run ./test.sh (as root it installs Debian's chromium).");
        }
        await _gate.WaitAsync();
        try
        {
            // What a page shows after a round trip through the queue and storage may take longer than
            // Playwright's 5 s when the whole suite loads a 2-core machine; an expectation met returns
            // at once, so only a failure waits the longer time. Speed is measured in the benchmarks.
            Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
            _playwright ??= await Playwright.CreateAsync();
            return _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// A blog on another origin than the API (its own Kestrel on a free loopback port), serving one
/// HTML page at every path: what an owner's static site is to the widget.
/// </summary>
public sealed class BlogServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri Origin { get; }
    public string Html { get; set; } = "";

    private BlogServer(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    public static Task<BlogServer> StartAsync() => LoopbackServer.StartAsync((app, origin) =>
    {
        var server = new BlogServer(app, origin);
        app.MapGet("/{**path}", () => Results.Content(server.Html, "text/html; charset=utf-8"));
        return server;
    });

    /// <summary>A blog page in <paramref name="lang"/> embedding the widget for <paramref name="thread"/>,
    /// exactly as the README tells owners to.</summary>
    public static string PageWithWidget(Uri api, string thread, string lang = "fr") =>
        $"""
        <!doctype html>
        <html lang="{lang}"><head><meta charset="utf-8"><title>A blog post</title></head>
        <body><main><h1>A blog post</h1><p>The article.</p>
        <div data-comments data-thread="{WebUtility.HtmlEncode(thread)}"></div></main>
        <script src="{api}api/widget/comments.js" defer></script></body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A browser tab that records what a page must never do: open a dialog, call the
/// XSS flag, or reach any origin but the blog's and the API's.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    public const string XssFlag = "__xssFlag";
    private readonly IBrowserContext _context;
    public IPage Page { get; }
    public ConcurrentQueue<string> Dialogs { get; } = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> Errors { get; } = new();

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public static async Task<WatchedPage> OpenAsync(BrowserFixture browser, string? locale = null)
    {
        var context = await (await browser.BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale ?? "fr-FR",
            TimezoneId = "Europe/Paris",
            ViewportSize = new ViewportSize { Width = 1000, Height = 900 },
        });
        // A payload that runs calls this instead of alert(): the test then knows it ran.
        await context.AddInitScriptAsync($"window.{XssFlag} = 0; window.__xss = () => {{ window.{XssFlag}++; }};");
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page);
        page.Dialog += async (_, dialog) =>
        {
            watched.Dialogs.Enqueue(dialog.Type + ": " + dialog.Message);
            try
            {
                await dialog.DismissAsync();
            }
            catch (PlaywrightException)
            {
                // The page went away with its dialog open: the dialog is already recorded.
            }
        };
        page.Request += (_, request) => watched.Requests.Enqueue(request.Url);
        page.PageError += (_, error) => watched.Errors.Enqueue(error);
        return watched;
    }

    public async Task<int> XssFlagAsync() => await Page.EvaluateAsync<int>($"() => window.{XssFlag}");

    public async Task<IReadOnlyList<BrowserContextCookiesResult>> CookiesAsync() => await _context.CookiesAsync();

    /// <summary>Saved for people to look at: TestResults/screenshots/ under the repository.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Repo.Root, "TestResults", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
