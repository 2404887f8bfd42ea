using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>Likes, order and the pinned comment in the embedded widget, in Chromium: a like given
/// with the keyboard shows its count and stays pressed after a reload (localStorage, no cookie),
/// the three orders sort the thread, and the owner's pinned comment comes first, marked.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReactionsWidgetTests(AzuriteFixture azurite, BrowserFixture browser)
{
    /// <summary>A self-host in mode none serving the blog's page of <paramref name="thread"/>, with the widget in English.</summary>
    private async Task<SelfHost> StartAsync(BlogServer blog, string thread, params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/'),
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Moderation__Mode"] = "none",
            ["Spam__FloodSeconds"] = "0",
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var host = await SelfHost.StartAsync(azurite.ConnectionString, environment);
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, "en");
        return host;
    }

    [Fact]
    public async Task A_reader_likes_with_the_keyboard_sorts_the_thread_and_sees_the_pinned_comment_first()
    {
        await using var blog = await BlogServer.StartAsync();
        await using var host = await StartAsync(blog, "/likes/", ("Reactions__FloodMilliseconds", "0"));
        var ids = new List<string>();
        foreach (var (name, text) in new[] { ("Ann", "First"), ("Bob", "Second"), ("Cy", "Third"), ("Di", "Fourth") })
        {
            ids.Add(await host.PostAcceptedAsync(Api.Comment("/likes/", text, author: name, email: name.ToLowerInvariant() + "@example.com")));
            await host.StoredAsync(ids[^1]);
        }
        var (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
        // Bob's comment has two likes from other readers; the owner pins Cy's.
        foreach (var reader in new[] { "another-reader-000000001", "another-reader-000000002" })
            (await host.Http.PostAsJsonAsync("api/reactions", new { thread = "/likes/", comment = b, reader })).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Post, $"comments/{c}/pin")).StatusCode);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "likes/");
        var order = page.Locator("[data-comments] .sc > ol.sc-list > li > article");
        async Task ExpectOrderAsync(string what, params string[] expected) =>
            await Eventually.HoldsAsync(async () => (await order.EvaluateAllAsync<string[]>("all => all.map(a => a.id)")).SequenceEqual(expected.Select(id => "comment-" + id)), what);

        // Pinned first, marked; then oldest first.
        await Expect(page.Locator($"#comment-{c} .sc-pin")).ToHaveTextAsync("Pinned");
        await ExpectOrderAsync("pinned, then oldest first", c, a, b, d);
        await Expect(page.Locator($"#comment-{b} > .sc-like")).ToHaveAttributeAsync("title", "Like (2)");

        // A like by keyboard alone: Tab to Ann's ♥, Space.
        var like = page.Locator($"#comment-{a} > .sc-like");
        for (var i = 0; i < 60 && !await like.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.True(await like.EvaluateAsync<bool>("b => b === document.activeElement"), "the like button is reachable by Tab");
        await page.Keyboard.PressAsync("Space");
        await Expect(like).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(like).ToHaveTextAsync("♥ 1");
        await Eventually.HoldsAsync(async () => (await host.Http.GetFromJsonAsync<JsonElement>("api/reactions?thread=%2Flikes%2F"))
            .GetProperty("likes").TryGetProperty(a, out var n) && n.GetInt32() == 1, "the like to be stored");

        // After a reload it is still this reader's like: pressed, counted once.
        await page.ReloadAsync();
        await Expect(like).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(like).ToHaveTextAsync("♥ 1");
        Assert.Empty(await tab.CookiesAsync());

        // The orders, by keyboard: newest first (from the API), most liked (Bob 2, Ann 1, Di 0), oldest again.
        async Task SortAsync(string label)
        {
            var button = page.Locator("[data-comments] .sc-sort", new() { HasTextString = label });
            await button.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        }
        await SortAsync("Newest first");
        await ExpectOrderAsync("newest first", c, d, b, a);
        await SortAsync("Most liked");
        await ExpectOrderAsync("most liked", c, b, a, d);
        await SortAsync("Oldest first");
        await ExpectOrderAsync("oldest first", c, a, b, d);
        await Expect(page.Locator($"#comment-{c} .sc-pin")).ToHaveCountAsync(1);

        // Taking the like back.
        await like.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(like).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(like).ToHaveTextAsync("♥ 0");
        Assert.Equal(0, await tab.XssFlagAsync());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task A_link_to_a_comment_on_a_later_page_lands_on_it_and_a_pinned_comment_on_a_later_page_comes_first()
    {
        await using var blog = await BlogServer.StartAsync();
        await using var host = await StartAsync(blog, "/pages/", ("Spam__Filter", "false"), ("Threads__PageSize", "5"));
        // Twelve top-level comments: three pages of five, oldest first.
        var ids = new List<string>();
        for (var i = 1; i <= 12; i++)
        {
            ids.Add(await host.PostAcceptedAsync(Api.Comment("/pages/", $"Comment number {i}", author: $"Reader {i}", email: $"r{i}@example.com")));
            await host.StoredAsync(ids[^1]);
        }
        // A reply on page 2 (an email about it links to it), and the owner pins a comment of page 3.
        var reply = await host.PostAcceptedAsync(Api.Comment("/pages/", "The answer you were told about", author: "Zoé", email: "zoe@example.com", parentId: ids[7]));
        await host.StoredAsync(reply);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Post, $"comments/{ids[11]}/pin")).StatusCode);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "pages/#comment-" + reply);
        var target = page.Locator($"#comment-{reply}");
        await Expect(target).ToBeInViewportAsync(new() { Timeout = 30_000 });
        await Expect(target).ToBeFocusedAsync();
        await Expect(target.Locator(".sc-b")).ToHaveTextAsync("The answer you were told about");

        // Pinned first, marked, though it is on the third page; every comment is shown once.
        var order = page.Locator("[data-comments] .sc > ol.sc-list > li > article");
        await Expect(page.Locator($"#comment-{ids[11]} .sc-pin")).ToHaveTextAsync("Pinned");
        await Eventually.HoldsAsync(async () => (await order.EvaluateAllAsync<string[]>("all => all.map(a => a.id)"))
            .SequenceEqual(new[] { ids[11] }.Concat(ids.Take(11)).Select(id => "comment-" + id)), "the pinned comment first, then the rest oldest first");
        Assert.Empty(tab.Errors);
    }
}
