using Microsoft.Playwright;
using ServerlessComments.Faces;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>Faces and the feed link in the embedded widget, in Chromium: every comment shows its
/// avatar, loaded from the backend only (with Gravatar on, the browser still never calls Gravatar),
/// and the thread's feed is linked beside the count.</summary>
[Collection(StorageCollection.Name)]
public sealed class FacesAndFeedsWidgetTests(AzuriteFixture azurite, BrowserFixture browser)
{
    [Fact]
    public async Task Each_comment_shows_its_avatar_from_the_backend_alone_and_the_feed_is_linked()
    {
        await using var gravatar = await FakeGravatar.StartAsync();
        gravatar.Pictures[Avatars.GravatarHash("gina@example.com")] = FakeGravatar.Png;
        await using var blog = await BlogServer.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/'),
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Moderation__Mode"] = "none",
            ["Spam__FloodSeconds"] = "0",
            ["Avatars__Gravatar"] = "true",
            ["Avatars__GravatarBaseUrl"] = gravatar.BaseUrl.AbsoluteUri,
        });
        const string thread = "/faces/";
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, "fr");
        await host.StoredAsync(await host.PostAcceptedAsync(Api.Comment(thread, "Avec un gravatar", author: "Gina", email: "gina@example.com")));
        await host.StoredAsync(await host.PostAcceptedAsync(Api.Comment(thread, "Sans", author: "Rita", email: "rita@example.com")));
        await Eventually.HoldsAsync(async () => await host.CountAsync(thread) == 2, "both comments published");

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "faces/");
        var avatars = page.Locator("[data-comments] article.sc-c header img.sc-av");
        await Expect(avatars).ToHaveCountAsync(2);
        foreach (var img in await avatars.AllAsync())
        {
            Assert.Equal("", await img.GetAttributeAsync("alt"));
            Assert.Equal("lazy", await img.GetAttributeAsync("loading"));
            Assert.Equal("32", await img.GetAttributeAsync("width"));
            Assert.StartsWith(host.BaseAddress + "api/avatars/", await img.GetAttributeAsync("src"));
            await Eventually.HoldsAsync(() => img.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the avatar to load");
        }

        var feed = page.Locator("[data-comments] a.sc-fd");
        await Expect(feed).ToHaveTextAsync("Flux des commentaires");
        Assert.Equal("application/atom+xml", await feed.GetAttributeAsync("type"));
        Assert.Equal(host.BaseAddress + "api/feeds/thread.atom?thread=%2Ffaces%2F", await feed.GetAttributeAsync("href"));
        await feed.FocusAsync();
        Assert.True(await feed.EvaluateAsync<bool>("a => a === document.activeElement"), "the feed link takes the keyboard's focus");

        // The browser asked only the blog and the backend; Gravatar was asked by the backend alone.
        var origins = tab.Requests.Select(u => new Uri(u).GetLeftPart(UriPartial.Authority) + "/").Distinct().ToList();
        Assert.All(origins, o => Assert.Contains(o, new[] { blog.Origin.ToString(), host.BaseAddress.ToString() }));
        Assert.DoesNotContain(tab.Requests, u => u.StartsWith(gravatar.BaseUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        Assert.Contains(gravatar.Requests, r => r.Contains(Avatars.GravatarHash("gina@example.com"), StringComparison.Ordinal));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Without_pictures_the_widget_draws_each_identicon_itself_as_the_api_would_and_asks_nobody()
    {
        await using var blog = await BlogServer.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/'),
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Moderation__Mode"] = "none",
            ["Spam__FloodSeconds"] = "0",
        });
        const string thread = "/drawn/";
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, "fr");
        await host.StoredAsync(await host.PostAcceptedAsync(Api.Comment(thread, "Un", author: "Gina", email: "gina@example.com")));
        await host.StoredAsync(await host.PostAcceptedAsync(Api.Comment(thread, "Deux", author: "Rita", email: "rita@example.com")));
        await Eventually.HoldsAsync(async () => await host.CountAsync(thread) == 2, "both comments published");
        var ids = System.Text.Json.JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=/drawn/")).RootElement
            .GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("avatar").GetString()!).ToList();

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "drawn/");
        var faces = page.Locator("[data-comments] article.sc-c header svg.sc-av");
        await Expect(faces).ToHaveCountAsync(2);
        for (var i = 0; i < ids.Count; i++)
        {
            // The same cells and colour as the API's SVG for that id.
            var drawn = await faces.Nth(i).EvaluateAsync<string>("s => s.querySelector('g').getAttribute('fill') + ' ' + [...s.querySelectorAll('g rect')].map(r => r.getAttribute('x') + ',' + r.getAttribute('y')).sort().join(' ')");
            var served = System.Xml.Linq.XDocument.Parse(await host.Http.GetStringAsync($"api/avatars/{ids[i]}.svg"));
            var g = served.Descendants().First(e => e.Name.LocalName == "g");
            var expected = g.Attribute("fill")!.Value + " " + string.Join(' ', g.Elements().Select(r => r.Attribute("x")!.Value + "," + r.Attribute("y")!.Value).Order(StringComparer.Ordinal));
            Assert.Equal(expected, drawn);
        }
        Assert.DoesNotContain(tab.Requests, u => u.Contains("/api/avatars/", StringComparison.Ordinal));
        Assert.Empty(tab.Errors);
    }
}
