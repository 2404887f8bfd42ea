using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Playwright;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>
/// Public views (Widget__StaticBase) in Chromium: the blog's page loads the widget's files, the
/// thread's first page and the counts straight from the views container (Azurite, made public for
/// blobs and given a CORS rule for the blog, as the template does), and the API hears nothing of
/// the page view; when storage answers 404 the widget asks the API instead. The API's handler runs
/// are counted in the self-host's own request log, the stand-in for function executions.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class StaticViewsTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
{
    private const string Thread = "/static/post/";

    private sealed record Site(SelfHost Host, BlogServer Blog, string? StaticBase) : IAsyncDisposable
    {
        /// <summary>Where the page loads the widget's scripts from.</summary>
        public string WidgetFolder => StaticBase is null ? Host.BaseAddress + "api/widget" : StaticBase + "/widget";

        /// <summary>Requests the self-host has finished under /api/ (each one a function execution in Azure).</summary>
        public int HandlerRuns => RequestFinished().Matches(Host.Log).Count;

        public async ValueTask DisposeAsync()
        {
            await Blog.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private async Task<Site> StartAsync(bool publicViews)
    {
        var blog = await BlogServer.StartAsync();
        var origin = blog.Origin.ToString().TrimEnd('/');
        var container = "threads-" + Guid.NewGuid().ToString("N")[..12];
        var staticBase = publicViews ? $"http://127.0.0.1:{azurite.Azurite.BlobPort}/devstoreaccount1/{container}" : null;
        var settings = new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = origin,
            ["Storage__ThreadContainer"] = container,
            // Every request the host finishes, in its log.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            // The API's address, which the widget's copy in storage carries.
            ["Notifications__PublicBaseUrl"] = SelfHost.SelfAddress,
        };
        if (staticBase is not null)
            settings["Widget__StaticBase"] = staticBase;
        var host = await SelfHost.StartAsync(azurite.ConnectionString, settings);
        if (publicViews)
        {
            // As infra/modules/storage.bicep does: the container's blobs readable by anyone, and
            // the blog's origin allowed to read them from a browser.
            var service = new BlobServiceClient(azurite.ConnectionString);
            var properties = (await service.GetPropertiesAsync()).Value;
            properties.Cors = [new BlobCorsRule { AllowedOrigins = origin, AllowedMethods = "GET,HEAD", AllowedHeaders = "*", ExposedHeaders = "ETag", MaxAgeInSeconds = 3600 }];
            await service.SetPropertiesAsync(properties);
            var views = service.GetBlobContainerClient(container);
            await views.CreateIfNotExistsAsync();
            await views.SetAccessPolicyAsync(PublicAccessType.Blob);
            await Eventually.HoldsAsync(async () => await views.GetBlobClient("widget/count.js").ExistsAsync(), "the widget's files in the public views");
        }
        blog.Html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title></head><body>
            <a class="count" href="{Thread}#comments" data-comment-count></a>
            <a class="count" href="/static/other/" data-comment-count></a>
            <div data-comments data-thread="{Thread}"></div>
            <script src="{(staticBase is null ? host.BaseAddress + "api/widget" : staticBase + "/widget")}/comments.js" defer></script>
            <script src="{(staticBase is null ? host.BaseAddress + "api/widget" : staticBase + "/widget")}/count.js" defer></script>
            </body></html>
            """;
        return new Site(host, blog, staticBase);
    }

    /// <summary>Two published comments, and (with public views) counts.json as the view updater keeps it.</summary>
    private async Task SeedAsync(Site site)
    {
        await site.Host.PostAcceptedAsync(Api.Comment(Thread, "Read from storage.", author: "Ann"));
        await site.Host.PostAcceptedAsync(Api.Comment(Thread, "So was I.", author: "Ben", email: "ben@example.com"));
        await Eventually.HoldsAsync(async () => await site.Host.CountAsync(Thread) == 2, "two published comments");
        if (site.StaticBase is not null)
        {
            var views = new BlobContainerClient(azurite.ConnectionString, site.Host.ThreadContainer);
            await views.GetBlobClient("counts.json").UploadAsync(BinaryData.FromObjectAsJson(new { threads = new Dictionary<string, int> { [Thread] = 2 } }),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } });
        }
    }

    private static async Task ViewedAsync(IPage page)
    {
        await Expect(page.Locator("[data-comments] h2")).ToHaveTextAsync("2 Comments");
        await Expect(page.Locator(".sc-b").Filter(new() { HasText = "Read from storage." })).ToHaveCountAsync(1);
        await Expect(page.Locator(".count").Nth(0)).ToHaveTextAsync("2 Comments");
        await Expect(page.Locator(".count").Nth(1)).ToHaveTextAsync("No comments");
    }

    [Fact]
    public async Task A_page_view_reads_everything_from_the_static_base_and_falls_back_to_the_api_when_it_answers_404()
    {
        await using var site = await StartAsync(publicViews: true);
        await SeedAsync(site);
        var api = site.Host.BaseAddress.ToString();
        var key = ThreadKey.For(Thread);

        await using (var tab = await WatchedPage.OpenAsync(browser, "en-GB"))
        {
            var before = site.HandlerRuns;
            await tab.Page.GotoAsync(site.Blog.Origin + "static/post/");
            await ViewedAsync(tab.Page);
            await Expect(tab.Page.Locator("link[data-comments-css]")).ToHaveAttributeAsync("href", site.StaticBase + "/widget/comments.css");
            var requests = tab.Requests.ToList();
            Assert.Contains(requests, r => r == $"{site.StaticBase}/{key}/oldest.json");
            Assert.Contains(requests, r => r == $"{site.StaticBase}/counts.json");
            // Not one request reached the API: no thread GET, no count, no script.
            Assert.DoesNotContain(requests, r => r.StartsWith(api, StringComparison.Ordinal));
            Assert.Equal(before, site.HandlerRuns);
            Assert.Empty(tab.Errors);

            // Writing still goes to the API, whose address the stored script carries.
            await tab.Page.Locator("[data-comments] form.sc-f [name=body]").FillAsync("Posted through the API.");
            await tab.Page.Locator("[data-comments] form.sc-f [name=author]").FillAsync("Cleo");
            await tab.Page.Locator("[data-comments] form.sc-f [name=email]").FillAsync("cleo@example.com");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
            var mine = tab.Page.Locator("article.sc-c").Filter(new() { HasText = "Posted through the API." });
            await Expect(mine).ToHaveCountAsync(1);
            await Expect(mine.Locator(".sc-p")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            Assert.Contains(tab.Requests, r => r == api + "api/comments");
        }

        // Storage answers 404 (a view not written yet, a wrong address): the API answers instead.
        await using (var tab = await WatchedPage.OpenAsync(browser, "en-GB"))
        {
            await tab.Page.RouteAsync($"{site.StaticBase}/{key}/*.json", route => route.FulfillAsync(new() { Status = 404, Body = "" }));
            await tab.Page.RouteAsync($"{site.StaticBase}/counts.json", route => route.FulfillAsync(new() { Status = 404, Body = "" }));
            await tab.Page.GotoAsync(site.Blog.Origin + "static/post/");
            await Expect(tab.Page.Locator("[data-comments] h2")).ToHaveTextAsync("3 Comments");
            await Expect(tab.Page.Locator(".count").Nth(0)).ToHaveTextAsync("3 Comments");
            var requests = tab.Requests.ToList();
            Assert.Single(requests, r => r.StartsWith(api + "api/comments?thread=", StringComparison.Ordinal));
            Assert.Single(requests, r => r.StartsWith(api + "api/comments/count?", StringComparison.Ordinal));
            // The widget's files still came from storage.
            Assert.DoesNotContain(requests, r => r.StartsWith(api + "api/widget/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Function_executions_per_1000_page_views_with_public_views_on_and_off()
    {
        const int Views = 10;
        var figures = new Dictionary<string, double>();
        var lastLog = "";
        foreach (var publicViews in new[] { false, true })
        {
            await using var site = await StartAsync(publicViews);
            await SeedAsync(site);
            var mode = publicViews ? "on" : "off";

            // New visitors: nothing cached.
            var before = site.HandlerRuns;
            for (var i = 0; i < Views; i++)
            {
                await using var tab = await WatchedPage.OpenAsync(browser, "en-GB");
                await tab.Page.GotoAsync(site.Blog.Origin + "static/post/");
                await ViewedAsync(tab.Page);
            }
            await Eventually.HoldsAsync(() => Task.FromResult(site.HandlerRuns - before >= (publicViews ? 0 : Views)), "the host's log of the views");
            figures[$"{mode}, new visitors"] = (site.HandlerRuns - before) * 1000.0 / Views;

            // A returning reader: the same browser, the files still fresh in its cache (5 minutes).
            await using (var tab = await WatchedPage.OpenAsync(browser, "en-GB"))
            {
                await tab.Page.GotoAsync(site.Blog.Origin + "static/post/");
                await ViewedAsync(tab.Page);
                before = site.HandlerRuns;
                for (var i = 0; i < Views; i++)
                {
                    await tab.Page.GotoAsync(site.Blog.Origin + "static/post/?again=" + i);
                    await ViewedAsync(tab.Page);
                }
                await Eventually.HoldsAsync(() => Task.FromResult(site.HandlerRuns - before >= (publicViews ? 0 : Views)), "the host's log of the views");
                figures[$"{mode}, returning visitor"] = (site.HandlerRuns - before) * 1000.0 / Views;
            }
            if (!publicViews) lastLog = site.Host.Log;
        }
        output.WriteLine(string.Join("\n", Regex.Matches(lastLog, @"Request finished (\S+ \S+ \S+?)(\?\S*)? .*").GroupBy(m => m.Groups[1].Value).Select(g => g.Key + " " + g.Count())));
        foreach (var (name, perThousand) in figures)
            output.WriteLine($"function executions per 1,000 page views, public views {name}: {perThousand:0}");
        Assert.Equal(0, figures["on, new visitors"]);
        Assert.Equal(0, figures["on, returning visitor"]);
        // Off: both scripts, the style sheet, the thread, the counts and the reactions, each a run
        // for a new visitor; a returning reader's cache keeps the files five minutes, not the
        // thread, the counts or the reactions.
        // At least those; a page view may add a run (the widget's poll for a comment awaiting
        // moderation, a count asked twice while loading), seen as 5,100 once in a clean run.
        Assert.InRange(figures["off, new visitors"], 6000, 6500);
        Assert.InRange(figures["off, returning visitor"], 3000, 3500);
    }

    [GeneratedRegex(@"Request finished \S+ \S+ http://127\.0\.0\.1:\d+/api/(?!health)\S*")]
    private static partial Regex RequestFinished();
}
