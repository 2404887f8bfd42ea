using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>The demo blog page the self-host serves at / (Demo__Enabled=true, as run.sh sets),
/// in Debian's Chromium: the reference page's thread, loaded on first run through the pipeline.</summary>
[Collection(StorageCollection.Name)]
public sealed class DemoPageTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
{
    private async Task<SelfHost> StartDemoAsync(SeedThread seed)
    {
        // first-time moderation, as installed: the loader approves what the pipeline holds.
        var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Moderation__Mode"] = "first-time",
            ["Admin__ApiKey"] = Api.AdminKey,
        });
        await Eventually.HoldsAsync(async () => await host.CountAsync(seed.Page.Thread) == 8, "the demo thread to be loaded", TimeSpan.FromSeconds(90));
        return host;
    }

    [Fact]
    public async Task The_demo_page_shows_the_reference_thread_nested_with_its_count_and_form()
    {
        var seed = SeedThread.Load();
        await using var host = await StartDemoAsync(seed);
        await using var tab = await WatchedPage.OpenAsync(browser);
        await tab.Page.GotoAsync(host.BaseAddress.ToString());

        var widget = tab.Page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("8 Commentaires");
        var topLevel = widget.Locator("section > ol.sc-list > li");
        await Expect(topLevel).ToHaveCountAsync(4);
        for (var i = 0; i < 4; i++)
            await Expect(topLevel.Nth(i).Locator(":scope > ol.sc-list > li")).ToHaveCountAsync(1);

        // Document order is each comment followed by its reply; texts exactly as in the fixture.
        var expected = seed.Comments.Where(c => c.ParentKey is null)
            .SelectMany(c => new[] { c }.Concat(seed.Comments.Where(r => r.ParentKey == c.Key)))
            .ToList();
        Assert.Equal(expected.Select(c => c.Body), await widget.Locator(".sc-b").AllTextContentsAsync());
        Assert.Equal(expected.Select(c => c.Author), await widget.Locator(".sc-a").AllTextContentsAsync());
        // Each reply sits under its own parent.
        for (var i = 0; i < 4; i++)
            await Expect(topLevel.Nth(i).Locator(":scope > ol.sc-list .sc-b")).ToHaveTextAsync(expected[2 * i + 1].Body);

        // An author with a website is a link, marked as user content; the others are not links.
        var manon = widget.Locator("a.sc-a").First;
        await Expect(widget.Locator("a.sc-a")).ToHaveCountAsync(expected.Count(c => c.Website is not null));
        await Expect(manon).ToHaveAttributeAsync("href", "https://blog.example.com/");
        await Expect(manon).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        // Dates in the page's language, with the comments' original times.
        await Expect(widget.Locator("time").First).ToContainTextAsync("12 mars 2024");
        await Expect(widget.Locator("time").First).ToHaveAttributeAsync("datetime", "2024-03-12T08:14:00.000Z");

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Tu peux lire aussi..." })).ToBeVisibleAsync();
        await Expect(widget.Locator("form.sc-f h3")).ToHaveTextAsync("Partage ta réaction");
        await Expect(widget.Locator("form.sc-f")).ToContainTextAsync("Votre adresse e-mail ne sera pas publiée.");
        await Expect(widget.Locator("form.sc-f")).ToContainTextAsync("Ce site utilise un filtre anti-spam pour réduire les indésirables. Votre adresse IP et votre navigateur servent à ce contrôle, puis sont effacés au bout de 30 jours.");
        await Expect(widget.GetByRole(AriaRole.Button, new() { Name = "Répondre" })).ToHaveCountAsync(8);

        // Accessible, by axe-core's rules, for the widget's part of the page.
        var axe = await widget.RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help + " at " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));

        // No cookies, and nothing fetched from anywhere but the page's own origin.
        Assert.Empty(await tab.CookiesAsync());
        Assert.All(tab.Requests, url => Assert.StartsWith(host.BaseAddress.ToString(), url));
        Assert.Empty(tab.Errors);
        Assert.Empty(tab.Dialogs);

        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("demo-page-fr"));
    }

    [Fact]
    public async Task The_demo_thread_is_loaded_on_first_run_only()
    {
        var seed = SeedThread.Load();
        var storage = new Dictionary<string, string> { ["Demo__Enabled"] = "true", ["Moderation__Mode"] = "first-time" };
        await using (var first = await StartDemoAsync(seed))
        {
            storage["Storage__CommentTable"] = first.Table.Name;
            storage["Storage__CommentQueue"] = first.Queue.Name;
            storage["Storage__NotificationQueue"] = first.NotificationQueue.Name;
            storage["Storage__ThreadContainer"] = first.ThreadContainer;
        }
        // The same storage again, as on a second ./run.sh.
        await using var second = await SelfHost.StartAsync(azurite.ConnectionString, storage);
        await Eventually.HoldsAsync(() => Task.FromResult(second.Log.Contains("not loaded again")), "the demo loader to find the thread loaded");
        await second.DrainedAsync();
        Assert.Equal(8, await second.CountAsync(seed.Page.Thread));
    }

    /// <summary>The widget's background and text colour, as the browser computed them.</summary>
    private static Task<string[]> ColoursAsync(ILocator widget) =>
        widget.Locator("section.sc").EvaluateAsync<string[]>("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]");

    [Fact]
    public async Task The_widget_follows_the_readers_dark_or_light_system_unless_the_page_says_and_axe_finds_nothing_in_either()
    {
        var seed = SeedThread.Load();
        await using var host = await StartDemoAsync(seed);
        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        var widget = page.Locator("[data-comments]");
        const string light = "rgba(0, 0, 0, 0)", dark = "rgb(28, 28, 30)";

        // A reader whose system is dark: the widget paints its own dark background.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(widget.Locator("h2")).ToHaveTextAsync("8 Commentaires");
        Assert.Equal([dark, "rgb(232, 232, 232)"], await ColoursAsync(widget));
        var axe = await widget.RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe, dark: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help + " at " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("demo-page-dark"));

        // A page that is light only says so; the widget inherits the page's colours again.
        await page.EvaluateAsync("() => document.documentElement.dataset.theme = 'light'");
        Assert.Equal(light, (await ColoursAsync(widget))[0]);
        Assert.Equal(await page.EvaluateAsync<string>("() => getComputedStyle(document.body).color"), (await ColoursAsync(widget))[1]);

        // A light system, a page that asks for dark on the widget's own element.
        await page.EvaluateAsync("() => delete document.documentElement.dataset.theme");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.Equal(light, (await ColoursAsync(widget))[0]);
        axe = await widget.RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe, light: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help + " at " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html)))));
        await widget.EvaluateAsync("e => e.dataset.theme = 'dark'");
        Assert.Equal(dark, (await ColoursAsync(widget))[0]);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_demo_page_speaks_English_when_the_page_does()
    {
        var seed = SeedThread.Load();
        await using var host = await StartDemoAsync(seed);
        await using var tab = await WatchedPage.OpenAsync(browser, locale: "en-GB");
        await tab.Page.GotoAsync(host.BaseAddress + "?lang=en");

        var widget = tab.Page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("8 Comments");
        await Expect(widget.GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToHaveCountAsync(8);
        await Expect(widget.Locator("form.sc-f h3")).ToHaveTextAsync("Leave a comment");
        await Expect(widget.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true })).ToBeVisibleAsync();
        await Expect(widget.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true })).ToBeVisibleAsync();
        await Expect(widget.GetByLabel("Notify me of replies by email")).ToBeVisibleAsync();
        await Expect(widget.Locator("form.sc-f")).ToContainTextAsync("Your email address will not be published. Required fields are marked *");
        await Expect(widget.Locator("time").First).ToContainTextAsync("March 12, 2024");
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("demo-page-en"));
    }

    [Fact]
    public async Task The_posts_page_fills_every_count_with_one_request_in_the_page_language()
    {
        var seed = SeedThread.Load();
        await using var host = await StartDemoAsync(seed);
        // One comment on a second post, approved by the owner; the third post has none.
        var id = await host.PostAcceptedAsync(Api.Comment("/2024/02/oser-dire-non/", "Un seul commentaire ici."));
        await host.StoredAsync(id);
        await host.AdminAsync(HttpMethod.Post, $"comments/{id}/approve");

        foreach (var (lang, eight, one, none) in new[] { ("fr", "8 Commentaires", "1 Commentaire", "Aucun commentaire"), ("en", "8 Comments", "1 Comment", "No comments") })
        {
            await using var tab = await WatchedPage.OpenAsync(browser);
            await tab.Page.GotoAsync(host.BaseAddress + "posts/?lang=" + lang);
            var counts = tab.Page.Locator("[data-comment-count]");
            await Expect(counts.Nth(0)).ToHaveTextAsync(eight);
            await Expect(counts.Nth(1)).ToHaveTextAsync(one);
            await Expect(counts.Nth(2)).ToHaveTextAsync(none);
            Assert.Single(tab.Requests, url => url.Contains("/api/comments/count?", StringComparison.Ordinal));
            if (lang == "fr")
                output.WriteLine("screenshot: " + await tab.ScreenshotAsync("demo-posts"));
        }
    }
}
