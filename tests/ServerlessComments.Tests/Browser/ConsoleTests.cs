using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Texts;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>
/// The owner's console at <c>/api/console</c>, in Debian's Chromium over the real self-host and
/// Azurite: signing in by an emailed link (read from the outbox) or by the key, and moderating,
/// answering, searching and tuning the defences as an owner does, with the mouse or the keyboard.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class ConsoleTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
{
    private const string Owner = "owner@example.com";

    private Task<SelfHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Notifications__OwnerEmail"] = Owner,
            ["Admin__ApiKey"] = Api.AdminKey,
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, environment);
    }

    /// <summary>What the console says, in the page's own language, from the strings files.</summary>
    private static async Task<Func<string, string>> StringsAsync(IPage page)
    {
        var lang = await page.EvaluateAsync<string>("() => document.documentElement.lang");
        var strings = Strings.Section("console");
        var section = strings.TryGetValue(lang, out var found) ? found : strings["en"];
        return key => section[key]!.GetValue<string>();
    }

    private static ILocator Console(IPage page) => page.Locator("#console");
    private static ILocator Card(IPage page, string id) => page.Locator($"article#comment-{id}");
    private static ILocator Action(ILocator card, string action) => card.Locator($":scope > .main > .parts [data-action={action}]");

    private static async Task OpenAsync(IPage page, SelfHost host, string hash = "")
    {
        await page.GotoAsync(host.BaseAddress + "api/console" + hash);
        await Expect(page.Locator("[name=key], nav").First).ToBeVisibleAsync();
    }

    private static async Task SignInByKeyAsync(IPage page, SelfHost host, string hash = "")
    {
        await OpenAsync(page, host, hash);
        await page.Locator("[name=key]").FillAsync(Api.AdminKey);
        await page.Locator("[name=key]").PressAsync("Enter");
        await Expect(page.Locator("nav")).ToBeVisibleAsync();
    }

    /// <summary>The sign-in links emailed so far (from the outbox's JSON files, the text part).</summary>
    private static List<string> SignInLinks(SelfHost host)
    {
        if (!Directory.Exists(host.OutboxPath))
            return [];
        return Directory.GetFiles(host.OutboxPath, "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement)
            .Select(email => (To: email.GetProperty("to").GetString(), Text: email.GetProperty("text").GetString() ?? ""))
            .SelectMany(email => LinkPattern().Matches(email.Text).Select(m => (email.To, Link: m.Value)))
            .Select(found =>
            {
                Assert.Equal(Owner, found.To);
                return found.Link;
            })
            .ToList();
    }

    [GeneratedRegex(@"(https?://[^\s""<>]+)?/api/admin/session/signin\?[^\s""<>]+")]
    private static partial Regex LinkPattern();

    /// <summary>Opens a sign-in link as the owner does from the email: its page, then its button.</summary>
    private static async Task FollowLinkAsync(IPage page, SelfHost host, string link)
    {
        // On this host, whatever origin the email names.
        var path = link[link.IndexOf("/api/", StringComparison.Ordinal)..];
        await page.GotoAsync(host.BaseAddress.ToString().TrimEnd('/') + path);
        // A refused link may show its refusal at once, with no button.
        var button = page.Locator("form button");
        if (await button.CountAsync() > 0)
        {
            await button.First.ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
    }

    private static async Task<int> SessionStatusAsync(IPage page) =>
        await page.EvaluateAsync<int>("async () => (await fetch('/api/admin/session', { credentials: 'same-origin' })).status");

    [Fact]
    public async Task The_owner_signs_in_by_an_emailed_link_used_once_and_another_address_gets_no_email()
    {
        // One link request per second and client, not the default 20 s, so the test asks twice quickly.
        await using var host = await StartAsync(("Admin__LinkRequestSeconds", "1"));
        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await OpenAsync(page, host);
        var t = await StringsAsync(page);
        var email = page.Locator("[name=email]");
        await Expect(email).ToBeFocusedAsync();

        // Another address: the same answer as the owner's, and no email at all.
        await email.FillAsync("someone.else@example.com");
        await email.PressAsync("Enter");
        await Expect(Console(page).Locator(".answer").First).ToHaveTextAsync(t("linkSent"));
        await Task.Delay(3000);
        await host.DrainedAsync();
        Assert.Empty(SignInLinks(host));
        Assert.False(Directory.Exists(host.OutboxPath) && Directory.GetFiles(host.OutboxPath).Length > 0, "no email for another address");

        // The owner's address: the same words, and a link in the outbox.
        await email.FillAsync(Owner);
        await email.PressAsync("Enter");
        await Expect(Console(page).Locator(".answer").First).ToHaveTextAsync(t("linkSent"));
        await Eventually.HoldsAsync(() => Task.FromResult(SignInLinks(host).Count == 1), "a sign-in link in the outbox");
        var link = SignInLinks(host).Single();

        await FollowLinkAsync(page, host, link);
        await Expect(page).ToHaveURLAsync(new Regex("/api/console"));
        await Expect(page.Locator("nav")).ToBeVisibleAsync();
        await Expect(page.Locator(".tab[data-view=pending]")).ToHaveAttributeAsync("aria-current", "page");
        Assert.Equal(200, await SessionStatusAsync(page));
        var cookie = Assert.Single(await tab.CookiesAsync(), c => c.Name == "sc_owner");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.cookie.length"));

        // Signing out ends the session: the API refuses it, the page asks to sign in again.
        await page.Locator("header .session button").Last.ClickAsync();
        await Expect(page.Locator("[name=email]")).ToBeVisibleAsync();
        await Expect(Console(page).Locator(".notice")).ToHaveTextAsync(t("signedOut"));
        Assert.Equal(401, await SessionStatusAsync(page));

        // The same link again, in a fresh browser: refused, no session.
        await using var other = await WatchedPage.OpenAsync(browser);
        await FollowLinkAsync(other.Page, host, link);
        Assert.DoesNotContain(await other.CookiesAsync(), c => c.Name == "sc_owner");
        await OpenAsync(other.Page, host);
        await Expect(other.Page.Locator("[name=email]")).ToBeVisibleAsync();
        Assert.Equal(401, await SessionStatusAsync(other.Page));
        Assert.Empty(tab.Errors);
        Assert.Empty(tab.Dialogs);
    }

    [Fact]
    public async Task The_key_signs_in_and_a_wrong_key_is_refused_beside_its_field()
    {
        await using var host = await StartAsync();
        await using var tab = await WatchedPage.OpenAsync(browser, locale: "en-GB");
        var page = tab.Page;
        await OpenAsync(page, host);
        var t = await StringsAsync(page);
        var key = page.Locator("[name=key]");

        await key.FillAsync("not-the-key");
        await key.PressAsync("Enter");
        await Expect(key).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#" + await key.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync(t("wrongKey"));
        await Expect(key).ToBeFocusedAsync();
        Assert.DoesNotContain(await tab.CookiesAsync(), c => c.Name == "sc_owner");
        Assert.Equal(401, await SessionStatusAsync(page));

        // One wrong key is within the free attempts: the right key works at once.
        await key.FillAsync(Api.AdminKey);
        await key.PressAsync("Enter");
        await Expect(page.Locator("nav")).ToBeVisibleAsync();
        Assert.Equal(200, await SessionStatusAsync(page));
        await page.ReloadAsync();
        await Expect(page.Locator("nav")).ToBeVisibleAsync(); // the cookie keeps the session

        await page.Locator("header .session button").Last.ClickAsync();
        await Expect(key).ToBeVisibleAsync();
        Assert.Equal(401, await SessionStatusAsync(page));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_owner_sees_where_the_console_is_signed_in_and_signs_out_everywhere()
    {
        await using var host = await StartAsync();
        // Another browser signed in first, by the key over HTTP.
        using var other = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        var signIn = new HttpRequestMessage(HttpMethod.Post, "api/admin/session/key") { Content = System.Net.Http.Json.JsonContent.Create(new { key = Api.AdminKey }) };
        signIn.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        signIn.Headers.UserAgent.ParseAdd("OtherBrowser/9.0");
        var otherCookie = (await other.SendAsync(signIn)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sc_owner=", StringComparison.Ordinal)).Split(';')[0];

        await using var tab = await WatchedPage.OpenAsync(browser, locale: "en-GB");
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        await page.Locator(".tab[data-view=data]").ClickAsync();
        var sessions = page.Locator("ul.sessions > li");
        // The data view lists sessions from a table Azurite scans whole: slow when the whole suite runs at once.
        await Expect(sessions).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.Locator("ul.sessions > li.current")).ToContainTextAsync(t("thisSession"));
        await Expect(page.Locator("ul.sessions")).ToContainTextAsync("OtherBrowser/9.0");

        await page.Locator("#signout-everywhere").ClickAsync();
        await Expect(page.Locator("[name=key]")).ToBeVisibleAsync();
        await Expect(Console(page)).ToContainTextAsync(t("signedOutEverywhere"));
        Assert.Equal(401, await SessionStatusAsync(page));
        var stale = new HttpRequestMessage(HttpMethod.Get, "api/admin/session");
        stale.Headers.Add("Cookie", otherCookie);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await other.SendAsync(stale)).StatusCode);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task From_a_held_comment_the_owner_approves_and_replies_and_the_widget_shows_both_with_the_badge()
    {
        await using var blog = await BlogServer.StartAsync();
        await using var host = await StartAsync(("Moderation__Mode", "all"), ("Notifications__Lang", "fr"), ("Cors__AllowedOrigins", blog.Origin.ToString().TrimEnd('/')));
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, "/answered/", "fr");
        var id = await host.PostAcceptedAsync(Api.Comment("/answered/", "Une question\nsur deux lignes ?", author: "Zoé", email: "zoe@example.com", website: "https://zoe.example.org/"));
        Assert.Equal("pending", (await host.StoredAsync(id)).GetProperty("status").GetString());

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        // As from the owner's alert email: the link to the comment, then signing in.
        await SignInByKeyAsync(page, host, "#comment=" + id);
        var t = await StringsAsync(page);
        // A French site's console speaks French.
        Assert.Equal("fr", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        await Expect(page.Locator(".tab[data-view=pending]")).ToContainTextAsync("En attente");
        var card = Card(page, id);
        await Expect(card.Locator(".body").First).ToHaveTextAsync("Une question\nsur deux lignes ?");
        await Expect(card.Locator("h3.author")).ToHaveTextAsync("Zoé");
        await Expect(card.Locator(".meta")).ToContainTextAsync("zoe@example.com");
        await Expect(card.Locator(".meta a[href='https://zoe.example.org/']")).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Expect(card.Locator(".badge.new")).ToHaveTextAsync(t("newAuthor"));
        await Expect(page).ToHaveTitleAsync(new Regex(@"^\(1\) "));

        await Action(card, "approve").ClickAsync();
        await Expect(Console(page).Locator(".toast")).ToContainTextAsync(t("undo"));
        await Expect(card.Locator(".badge.status-published")).ToBeVisibleAsync();

        await Action(card, "reply").ClickAsync();
        var reply = card.Locator("textarea[name=reply]");
        await Expect(reply).ToBeFocusedAsync();
        await reply.FillAsync("Merci Zoé, bonne question.");
        await card.Locator("form.reply [type=submit]").ClickAsync();
        await Expect(page.Locator(".live")).ToHaveTextAsync(t("replied").Replace("{name}", "Zoé"));
        await Expect(page.Locator("article.comment .badge.owner")).ToHaveCountAsync(1);
        await Expect(page).Not.ToHaveTitleAsync(new Regex(@"^\("), new() { Timeout = 15_000 });

        // The public thread and the widget: the comment, and under it the owner's reply, badged.
        Assert.Equal("published", (await host.StoredAsync(id)).GetProperty("status").GetString());
        await using var reader = await WatchedPage.OpenAsync(browser);
        await reader.Page.GotoAsync(blog.Origin + "answered/");
        var widget = reader.Page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("2 Commentaires", new() { Timeout = 30_000 });
        var answer = reader.Page.Locator($"li:has(> #comment-{id}) > ol.sc-list > li > article");
        await Expect(answer.Locator(".sc-b")).ToHaveTextAsync("Merci Zoé, bonne question.");
        await Expect(answer.Locator(".sc-o")).ToHaveTextAsync(Strings.Section("widget")["fr"]["owner"]!.GetValue<string>());
        await Expect(reader.Page.Locator($"#comment-{id} .sc-o")).ToHaveCountAsync(0);
        var thread = await host.GetThreadAsync("/answered/");
        Assert.True(thread.GetProperty("comments")[0].GetProperty("replies")[0].GetProperty("byOwner").GetBoolean());
        Assert.Empty(tab.Errors);
        Assert.Empty(reader.Errors);
        output.WriteLine("screenshot: " + await reader.ScreenshotAsync("widget-owner-reply"));
    }

    [Fact]
    public async Task The_owner_edits_a_comment_and_the_public_thread_says_it_was_edited()
    {
        await using var blog = await BlogServer.StartAsync();
        // A short comment whose only content is a link is what the spam filter holds; this test is about editing.
        await using var host = await StartAsync(("Cors__AllowedOrigins", blog.Origin.ToString().TrimEnd('/')), ("Spam__Filter", "false"));
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, "/edited/", "en");
        var id = await host.PostAcceptedAsync(Api.Comment("/edited/", "A broken link: htp://example.com", author: "Ann"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/edited/") == 1, "the comment to be published");

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        await page.Locator(".tab[data-view=published]").ClickAsync();
        var card = Card(page, id);
        await Action(card, "edit").ClickAsync();
        var text = card.Locator("form.edit textarea");
        await Expect(text).ToBeFocusedAsync();
        await Expect(text).ToHaveValueAsync("A broken link: htp://example.com");
        await text.FillAsync("A mended link: https://example.com");
        await card.Locator("form.edit [type=submit]").ClickAsync();
        await Expect(page.Locator(".live")).ToHaveTextAsync(t("saved").Replace("{name}", "Ann"));
        await Expect(card.Locator(".parts .body")).ToHaveTextAsync("A mended link: https://example.com");
        await Expect(card.Locator(".edited")).ToBeVisibleAsync();

        var stored = (await host.GetThreadAsync("/edited/")).GetProperty("comments")[0];
        Assert.Equal("A mended link: https://example.com", stored.GetProperty("body").GetString());
        Assert.True(stored.TryGetProperty("editedAt", out _), "the public thread says it was edited");
        await using var reader = await WatchedPage.OpenAsync(browser, locale: "en-GB");
        await reader.Page.GotoAsync(blog.Origin + "edited/");
        await Expect(reader.Page.Locator($"#comment-{id} .sc-b")).ToHaveTextAsync("A mended link: https://example.com", new() { Timeout = 30_000 });
        await Expect(reader.Page.Locator($"#comment-{id} .sc-ed")).ToHaveTextAsync(Strings.Section("widget")["en"]["edited"]!.GetValue<string>());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Three_comments_are_marked_spam_at_once_and_the_counts_follow()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add(await host.PostAcceptedAsync(Api.Comment("/bulk/", "Held number " + i, author: "Reader " + i, email: $"r{i}@example.com")));
        foreach (var id in ids)
            await host.StoredAsync(id);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        // Held first, newest first, the count in the title and on the tab.
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(4);
        Assert.Equal(Enumerable.Range(0, 4).Reverse().Select(i => "Held number " + i), await page.Locator("article.comment .parts .body").AllTextContentsAsync());
        await Expect(page).ToHaveTitleAsync(new Regex(@"^\(4\) "));
        await Expect(page.Locator(".tab[data-view=pending]")).ToContainTextAsync("4");
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-held"));

        foreach (var id in ids.Take(3))
            await Card(page, id).Locator("input.select").CheckAsync();
        await Expect(page.Locator("#selected-count")).ToContainTextAsync("3");
        await page.Locator(".toolbar [data-action=spam]").ClickAsync();
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(1);
        await Expect(Card(page, ids[3])).ToBeVisibleAsync();

        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in ids.Take(3))
                if ((await host.FindAsync(id))?.GetProperty("status").GetString() != "spam")
                    return false;
            return true;
        }, "three comments to be spam", TimeSpan.FromSeconds(20));
        Assert.Equal("pending", (await host.FindAsync(ids[3]))!.Value.GetProperty("status").GetString());
        await Expect(page).ToHaveTitleAsync(new Regex(@"^\(1\) "));
        await page.Locator(".tab[data-view=spam]").ClickAsync();
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(3);
        await Expect(page.Locator(".tab[data-view=spam]")).ToContainTextAsync("3");

        // Emptying the spam folder asks first, in the page's own dialog.
        await page.Locator(".toolbar button.danger").ClickAsync();
        var confirm = page.Locator("dialog[open]");
        await Expect(confirm).ToContainTextAsync(t("emptyConfirm"));
        await confirm.Locator("button.danger").ClickAsync();
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(0);
        await Expect(page.Locator(".tab[data-view=spam]")).ToContainTextAsync("0");
        foreach (var id in ids.Take(3))
            Assert.Null(await host.FindAsync(id));

        // "Spam and block this address": the last one goes to spam, and its address to the block list.
        await page.Locator(".tab[data-view=pending]").ClickAsync();
        await Action(Card(page, ids[3]), "spam-block").ClickAsync();
        await Expect(page.Locator(".live")).ToHaveTextAsync(t("blocked").Replace("{email}", "r3@example.com"));
        await Eventually.HoldsAsync(async () => (await (await host.AdminAsync(HttpMethod.Get, "lists")).Content.ReadAsStringAsync()).Contains("r3@example.com"),
            "the address to be blocked", TimeSpan.FromSeconds(20));
        Assert.Equal("spam", (await host.FindAsync(ids[3]))!.Value.GetProperty("status").GetString());
        Assert.Empty(tab.Dialogs);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Undo_puts_a_decision_back_and_a_deletion_waits_for_its_undo_time()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var keep = await host.PostAcceptedAsync(Api.Comment("/undo/", "Keep me held.", author: "Ann"));
        var gone = await host.PostAcceptedAsync(Api.Comment("/undo/", "Delete me.", author: "Bob", email: "bob@example.com"));
        await host.StoredAsync(keep);
        await host.StoredAsync(gone);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(2);

        // Approve: published at once (the public thread follows); Undo puts it back to held.
        // "At once" is judged in the browser (the request leaves before the 5 s undo time of a
        // deletion), not by a server round trip under a deadline, which a loaded machine may miss.
        var approval = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.EndsWith($"/admin/comments/{keep}/approve", StringComparison.Ordinal), new() { Timeout = 4_000 });
        await Action(Card(page, keep), "approve").ClickAsync();
        await approval;
        await Expect(Card(page, keep)).ToHaveCountAsync(0);
        await Eventually.HoldsAsync(async () => await host.CountAsync("/undo/") == 1, "the approval to reach the public thread");
        await page.Locator(".toast button").ClickAsync();
        await Expect(Card(page, keep)).ToBeVisibleAsync();
        await Expect(page.Locator(".live")).ToHaveTextAsync(new Regex("^" + Regex.Escape(t("undone").Split('{')[0])));
        await Eventually.HoldsAsync(async () => (await host.FindAsync(keep))!.Value.GetProperty("status").GetString() == "pending", "the comment to be held again");
        Assert.Equal(0, await host.CountAsync("/undo/"));

        // Delete: gone from the page at once, from the store once the undo time is over.
        await Action(Card(page, gone), "delete").ClickAsync();
        await Expect(Card(page, gone)).ToHaveCountAsync(0);
        Assert.NotNull(await host.FindAsync(gone));
        await Eventually.HoldsAsync(async () => await host.FindAsync(gone) is null, "the deletion to be sent", TimeSpan.FromSeconds(15));
        Assert.NotNull(await host.FindAsync(keep));

        // A published comment marked spam: hidden at once; Undo publishes it again.
        await host.AdminAsync(HttpMethod.Post, $"comments/{keep}/approve");
        await Eventually.HoldsAsync(async () => await host.CountAsync("/undo/") == 1, "the comment to be published");
        await page.Locator(".tab[data-view=published]").ClickAsync();
        var marked = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.EndsWith($"/admin/comments/{keep}/spam", StringComparison.Ordinal), new() { Timeout = 4_000 });
        await Action(Card(page, keep), "spam").ClickAsync();
        await marked;
        await Expect(Card(page, keep)).ToHaveCountAsync(0);
        await Eventually.HoldsAsync(async () => await host.CountAsync("/undo/") == 0, "the spam decision to hide it from the public thread");
        await page.Keyboard.PressAsync("u");
        await Expect(Card(page, keep)).ToBeVisibleAsync();
        await Eventually.HoldsAsync(async () => await host.CountAsync("/undo/") == 1, "the undo to publish it again");
        Assert.Equal("published", (await host.FindAsync(keep))!.Value.GetProperty("status").GetString());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task More_comments_come_a_page_at_a_time_and_an_ended_session_asks_to_sign_in_again()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var ids = new List<string>();
        for (var i = 0; i < 53; i++)
            ids.Add(await host.PostAcceptedAsync(Api.Comment("/many/", $"Held comment {i:00}", author: "Reader " + i, email: $"m{i}@example.com")));
        await host.DrainedAsync();
        await Eventually.HoldsAsync(async () => (await host.AdminListAsync("pending", "&pageSize=200")).GetProperty("comments").GetArrayLength() == 53, "53 held comments");

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        var cards = page.Locator("article.comment");
        await Expect(cards).ToHaveCountAsync(50);
        await Expect(page).ToHaveTitleAsync(new Regex(@"^\(53\) "));
        var more = page.Locator("button.more");
        await more.ClickAsync();
        await Expect(cards).ToHaveCountAsync(53);
        await Expect(cards.Nth(50)).ToBeFocusedAsync(); // the first of the new page
        await Expect(more).ToBeHiddenAsync();
        // Newest first across both pages, none twice.
        var bodies = (await page.Locator("article.comment .parts .body").AllTextContentsAsync()).ToList();
        Assert.Equal(Enumerable.Range(0, 53).Reverse().Select(i => $"Held comment {i:00}"), bodies);

        // The session ends behind the page's back (here: signed out from another tab): the next
        // action says so and asks to sign in again, and nothing changed.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync(host.BaseAddress + "api/console");
        await other.Locator("header .session button").Last.ClickAsync();
        await Expect(other.Locator("[name=key]")).ToBeVisibleAsync();
        await other.CloseAsync();
        await cards.First.FocusAsync();
        await page.Keyboard.PressAsync("o");
        await Expect(page.Locator("[name=key]")).ToBeVisibleAsync();
        await Expect(Console(page).Locator(".notice")).ToHaveTextAsync(t("expired"));
        Assert.Equal(53, (await host.AdminListAsync("pending", "&pageSize=200")).GetProperty("comments").GetArrayLength());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Search_finds_a_comment_by_a_word_of_its_text_and_by_its_email()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var wanted = await host.PostAcceptedAsync(Api.Comment("/search/", "I love the word zanzibar here.", author: "Mia", email: "mia@example.org"));
        var other = await host.PostAcceptedAsync(Api.Comment("/search/", "Nothing to see.", author: "Noé", email: "noe@example.com"));
        var published = await host.PostAcceptedAsync(Api.Comment("/elsewhere/", "Another page entirely.", author: "Olga", email: "olga@example.net"));
        foreach (var id in new[] { wanted, other, published })
            await host.StoredAsync(id);
        await host.AdminAsync(HttpMethod.Post, $"comments/{published}/approve");

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(2);

        // "/" goes to the search box, from anywhere but a text field.
        await page.Locator("body").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("[name=q]")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("ZANZIBAR");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(1);
        await Expect(Card(page, wanted)).ToBeVisibleAsync();

        await page.Locator("[name=q]").FillAsync("noe@example.com");
        await page.Locator("[name=q]").PressAsync("Enter");
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(1);
        await Expect(Card(page, other)).ToBeVisibleAsync();

        // A search looks at every status; the thread filter narrows to one page.
        await page.Locator("[name=q]").FillAsync("olga@");
        await page.Locator("[name=q]").PressAsync("Enter");
        await Expect(Card(page, published)).ToBeVisibleAsync();
        await page.Locator("[name=q]").FillAsync("");
        await page.Locator("[name=thread]").FillAsync("/search/");
        await page.Locator("[name=thread]").PressAsync("Enter");
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(2);
        await Expect(Card(page, published)).ToHaveCountAsync(0);

        // A "Reply" link from an owner alert: that comment, its reply form open.
        await page.GotoAsync(host.BaseAddress + "api/console#reply=" + other);
        await Expect(Card(page, other)).ToBeVisibleAsync();
        await Expect(Card(page, other).Locator("textarea[name=reply]")).ToBeFocusedAsync();
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(1);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task A_word_the_owner_blocks_in_the_console_keeps_the_next_comment_that_has_it_from_being_published()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"));
        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);

        await page.Locator(".tab[data-view=lists]").ClickAsync();
        var words = page.Locator("textarea[name=blockWords]");
        await Expect(words).ToBeFocusedAsync();

        // An entry the server cannot use is named beside its list, and nothing is saved.
        var emails = page.Locator("textarea[name=blockEmails]");
        await emails.FillAsync("not-an-address");
        await page.Locator("form.lists [type=submit]").ClickAsync();
        await Expect(emails).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#" + await emails.GetAttributeAsync("aria-describedby"))).ToContainTextAsync("not-an-address");
        await Expect(emails).ToBeFocusedAsync();
        Assert.DoesNotContain("not-an-address", await (await host.AdminAsync(HttpMethod.Get, "lists")).Content.ReadAsStringAsync());
        await emails.FillAsync("");
        await words.FillAsync("  Cheapwatches \n\n");
        await page.Locator("textarea[name=holdWords]").FillAsync("refund");
        await page.Locator("form.lists [type=submit]").ClickAsync();
        await Expect(page.Locator("form.lists .answer")).ToHaveTextAsync(t("listsSaved"));
        await Expect(words).ToHaveValueAsync("Cheapwatches");
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-defences"));

        // Stored: the admin API (and so a reload) has them.
        var lists = await (await host.AdminAsync(HttpMethod.Get, "lists")).Content.ReadAsStringAsync();
        Assert.Contains("Cheapwatches", lists);
        Assert.Contains("refund", lists);

        var fine = await host.PostAcceptedAsync(Api.Comment("/lists/", "A perfectly fine comment.", author: "Ann"));
        var blocked = await host.PostAcceptedAsync(Api.Comment("/lists/", "Buy cheapwatches today", author: "Bob", email: "bob@example.com"));
        var held = await host.PostAcceptedAsync(Api.Comment("/lists/", "I want a REFUND now", author: "Cy", email: "cy@example.com"));
        Assert.Equal("published", (await host.StoredAsync(fine)).GetProperty("status").GetString());
        Assert.NotEqual("published", (await host.StoredAsync(blocked)).GetProperty("status").GetString());
        Assert.Equal("pending", (await host.StoredAsync(held)).GetProperty("status").GetString());
        Assert.Equal(1, await host.CountAsync("/lists/"));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_defences_say_what_the_spam_filter_learnt_and_a_confirmed_reset_forgets_it()
    {
        await using var host = await StartAsync();
        var spam = await host.PostAcceptedAsync(Api.Comment("/filter-line/", "Held, and spam to the owner.", author: "Sam", email: "sam@example.com"));
        var ham = await host.PostAcceptedAsync(Api.Comment("/filter-line/", "Held, and fine to the owner.", author: "Hal", email: "hal@example.com"));
        await host.StoredAsync(spam);
        await host.StoredAsync(ham);
        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Post, $"comments/{spam}/spam")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Post, $"comments/{ham}/approve")).StatusCode);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        string Line(int spam, int ham) => t("spamFilterNever").Replace("{spam}", spam.ToString()).Replace("{ham}", ham.ToString());

        await page.Locator(".tab[data-view=lists]").ClickAsync();
        var line = page.Locator(".spam-filter .filter-line");
        await Expect(line).ToHaveTextAsync(Line(1, 1));

        // Reset asks first: cancelling forgets nothing.
        var reset = page.Locator(".spam-filter button");
        await reset.ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToContainTextAsync(t("spamFilterConfirm"));
        await page.Locator("dialog[open] button.quiet").ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToHaveCountAsync(0);
        await Expect(line).ToHaveTextAsync(Line(1, 1));
        var status = await (await host.AdminAsync(HttpMethod.Get, "spam-filter")).Content.ReadAsStringAsync();
        Assert.Contains("\"spamExamples\":1", status);

        await reset.ClickAsync();
        await page.Locator("dialog[open] button.danger").ClickAsync();
        await Expect(line).ToHaveTextAsync(Line(0, 0));
        status = await (await host.AdminAsync(HttpMethod.Get, "spam-filter")).Content.ReadAsStringAsync();
        Assert.Contains("\"spamExamples\":0", status);
        Assert.Contains("\"hamExamples\":0", status);

        // Once retrained (a five-minute timer, so the answer is made up here): how long ago, in the page's language.
        var trainedAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        await page.RouteAsync("**/api/admin/spam-filter", route => route.FulfillAsync(new()
        {
            ContentType = "application/json",
            Body = $$"""{"on":true,"startingComments":2178,"spamExamples":12,"hamExamples":30,"learntExamples":42,"trainedAt":"{{trainedAt}}"}""",
        }));
        var fiveMinutesAgo = await page.EvaluateAsync<string>("() => new Intl.RelativeTimeFormat(document.documentElement.lang, { numeric: 'auto' }).format(-5, 'minute')");
        await page.Locator(".tab[data-view=lists]").ClickAsync();
        await Expect(line).ToHaveTextAsync(t("spamFilterLine").Replace("{spam}", "12").Replace("{ham}", "30").Replace("{when}", fiveMinutesAgo));
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-spam-filter"));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_owner_moves_approves_and_replies_with_the_keyboard_alone_and_axe_finds_nothing()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var first = await host.PostAcceptedAsync(Api.Comment("/keys/", "The older comment.", author: "Ann", email: "ann@example.com"));
        await host.StoredAsync(first);
        var second = await host.PostAcceptedAsync(Api.Comment("/keys/", "The newer comment.", author: "Ben", email: "ben@example.com", parentId: null));
        await host.StoredAsync(second);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await OpenAsync(page, host);
        var t = await StringsAsync(page);
        // Sign in: from the email field, Tab to the key, type it, Enter.
        await Expect(page.Locator("[name=email]")).ToBeFocusedAsync();
        var axe = await Console(page).RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe, sign-in: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help)));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("[name=key]")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Api.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("article.comment")).ToHaveCountAsync(2);

        // j: the first (newest); j again: the older; k: back.
        await page.Keyboard.PressAsync("j");
        await Expect(Card(page, second)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("j");
        await Expect(Card(page, first)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("k");
        await Expect(Card(page, second)).ToBeFocusedAsync();

        // ?: the shortcuts, Escape closes them.
        await page.Keyboard.PressAsync("?");
        await Expect(page.Locator("dialog[open] .keys")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("dialog[open]")).ToHaveCountAsync(0);

        // r: the reply form, typed and sent with Enter on its button.
        await Card(page, second).FocusAsync();
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("textarea[name=reply]")).ToBeFocusedAsync();
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-reply-form"));
        await page.Keyboard.TypeAsync("Answered from the keyboard.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".live")).ToHaveTextAsync(t("replied").Replace("{name}", "Ben"));
        await Expect(Card(page, second)).ToBeFocusedAsync();
        await Eventually.HoldsAsync(async () => await host.CountAsync("/keys/") == 2, "the comment and its reply to be published");

        // a: approve the older one, announced.
        await page.Keyboard.PressAsync("j");
        await Expect(Card(page, first)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("o");
        await Expect(Card(page, first).Locator("section.context")).ToBeVisibleAsync();
        axe = await Console(page).RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe, console: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help)));
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-context"));
        // Dark, as the system may be: just as readable.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        axe = await Console(page).RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe, console in dark: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help)));
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("console-context-dark"));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.Keyboard.PressAsync("a");
        await Expect(page.Locator(".live")).ToHaveTextAsync(t("approved").Replace("{what}", t("commentBy").Replace("{name}", "Ann")));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/keys/") == 3, "the older comment to be published", TimeSpan.FromSeconds(15));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Xss_payloads_as_author_website_and_text_render_inert_in_the_console()
    {
        var payloads = new[] { "IntrudersXSS.txt", "RSNAKE_XSS.txt", "XSS_Polyglots.txt" }
            .SelectMany(name => File.ReadAllLines(SharedFiles.Path("data/xss/" + name)))
            .Where(p => p.Trim().Length > 0)
            .Select(p => Regex.Replace(p, "alert|prompt|confirm", "__xss", RegexOptions.IgnoreCase))
            .Take(40).ToList();
        await using var host = await StartAsync(("Moderation__Mode", "all"), ("Spam__RefuseDuplicates", "false"), ("Spam__MaxLinks", "1000"));
        var accepted = 0;
        foreach (var payload in payloads)
        {
            var author = payload.Length > 80 ? payload[..80] : payload;
            foreach (var comment in new object[]
                     {
                         new { thread = "/xss/", author, email = "x@example.com", body = payload, website = payload },
                         new { thread = "/xss/", author, email = "y@example.com", body = payload, website = "https://example.com/?" + payload },
                         new { thread = "/xss/", author, email = "z@example.com", body = payload },
                     })
            {
                if ((await host.PostAsync(comment)).StatusCode == HttpStatusCode.Accepted)
                    accepted++;
            }
        }
        Assert.True(accepted > 10, $"only {accepted} payloads accepted");
        await host.DrainedAsync();

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        await Expect(page.Locator("article.comment")).Not.ToHaveCountAsync(0);
        await page.Locator("article.comment").First.FocusAsync();
        await page.Keyboard.PressAsync("o");
        await page.WaitForTimeoutAsync(1000);
        Assert.Empty(tab.Dialogs);
        Assert.Equal(0, await tab.XssFlagAsync());
        var outside = await page.EvaluateAsync<int>("() => document.querySelectorAll('#console script, #console img, #console iframe, #console svg, #console object, #console embed, #console style').length");
        Assert.Equal(0, outside);
        var hrefs = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#console [href]')].map(a => a.getAttribute('href'))");
        Assert.All(hrefs, href => Assert.Matches("^https?://", href));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_console_fits_in_40_KB_gzipped_and_its_page_runs_no_inline_code()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        var sizes = new Dictionary<string, long>();
        var texts = new Dictionary<string, string>();
        foreach (var path in new[] { "api/console", "api/console/console.js", "api/console/console.css" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync();
            var gzipped = response.Content.Headers.ContentEncoding.Contains("gzip");
            if (!gzipped)
            {
                // Served as is: measured as it would travel gzipped.
                using var buffer = new MemoryStream();
                using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize))
                    gzip.Write(body);
                sizes[path] = buffer.Length;
                texts[path] = System.Text.Encoding.UTF8.GetString(body);
            }
            else
            {
                sizes[path] = body.Length;
                using var reader = new StreamReader(new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress));
                texts[path] = await reader.ReadToEndAsync();
            }
        }
        output.WriteLine(string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value} B gzipped")) + $"; total {sizes.Values.Sum()} B");
        Assert.InRange(sizes.Values.Sum(), 1, 40 * 1024);

        // The page: the language and title filled in, its script and style sheet from itself, and
        // nothing the Content-Security-Policy would have to allow inline.
        var html = texts["api/console"];
        Assert.DoesNotContain("{{", html);
        Assert.Matches("<html lang=\"(fr|en)\">", html);
        Assert.Contains("<script src=\"/api/console/console.js\" defer></script>", html);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/api/console/console.css\">", html);
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
        Assert.DoesNotMatch(@"\s(style|on\w+)\s*=", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        // The script: every language's strings, and no sink that parses a string as HTML or code.
        var script = texts["api/console/console.js"];
        Assert.StartsWith("(() => {", script);
        foreach (var lang in Strings.Languages)
            Assert.Contains($"\"{lang}\":{{", script);
        Unit.ScriptModulesTests.AssertBundled(script);
        foreach (var sink in Unit.ScriptModulesTests.HtmlSinks)
            Assert.DoesNotContain(sink, script);
    }

    [Fact]
    public async Task The_owner_uploads_a_WordPress_export_sees_its_summary_and_downloads_everything_back()
    {
        await using var host = await StartAsync();
        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        var t = await StringsAsync(page);
        await page.Locator(".tab[data-view=data]").ClickAsync();

        // No file: said beside the field, nothing sent.
        await page.Locator("form.import button[type=submit]").ClickAsync();
        await Expect(page.Locator("form.import")).ToContainTextAsync(t("chooseFile"));

        var wxr = Core.ImportTests.Wxr(Core.ImportTests.Comment(1, content: "<p>Imported <b>once</b></p>") +
                                       Core.ImportTests.Comment(2, parent: 1, content: "A reply <script>alert(1)</script>", author: "Max", email: "max@example.com"));
        var payload = new FilePayload { Name = "blog.wordpress.xml", MimeType = "application/xml", Buffer = System.Text.Encoding.UTF8.GetBytes(wxr) };

        // A dry run writes nothing.
        await page.Locator("#import-file").SetInputFilesAsync(payload);
        await page.Locator("#import-dry").CheckAsync();
        await page.Locator("form.import button[type=submit]").ClickAsync();
        await Expect(page.Locator("form.import .answer")).ToContainTextAsync(t("importDryRun").Trim());
        Assert.Equal(0, await host.CountAsync("/2024/03/post/"));

        await page.Locator("#import-dry").UncheckAsync();
        await page.Locator("form.import button[type=submit]").ClickAsync();
        await Expect(page.Locator("form.import .answer")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^2 "));
        Assert.Equal(2, await host.CountAsync("/2024/03/post/"));
        var thread = (await host.GetThreadAsync("/2024/03/post/")).GetRawText();
        Assert.DoesNotContain("<script>", thread);
        Assert.DoesNotContain("<b>", thread);

        // Again: nothing new.
        await page.Locator("form.import button[type=submit]").ClickAsync();
        await Expect(page.Locator("form.import .answer")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0 .* 2 "));
        Assert.Equal(2, await host.CountAsync("/2024/03/post/"));

        // A file that gives nothing (only a private editorial note) says why, with what it skipped.
        var notes = Core.ImportTests.Wxr(Core.ImportTests.Comment(9, type: "note", approved: "0"));
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "notes.xml", MimeType = "application/xml", Buffer = System.Text.Encoding.UTF8.GetBytes(notes) });
        await page.Locator("form.import button[type=submit]").ClickAsync();
        await Expect(page.Locator("form.import .answer")).ToContainTextAsync("Nothing to import: all 1 comment(s) read were skipped (type note: 1)");
        Assert.Equal(2, await host.CountAsync("/2024/03/post/"));

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[data-format=json]").ClickAsync());
        var path = await download.PathAsync();
        var exported = JsonDocument.Parse(await File.ReadAllTextAsync(path!)).RootElement;
        Assert.Equal(2, exported.GetArrayLength());
        Assert.Contains(exported.EnumerateArray(), c => c.GetProperty("author").GetString() == "Max");
    }

    [Fact]
    public async Task The_pin_buttons_show_each_threads_pin_after_a_reload_and_one_pin_a_thread()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"), ("Spam__Filter", "false"));
        var a = await host.PostAcceptedAsync(Api.Comment("/pins/", "First of the thread", author: "Ann"));
        var b = await host.PostAcceptedAsync(Api.Comment("/pins/", "Second of the thread", author: "Bob", email: "bob@example.com"));
        var other = await host.PostAcceptedAsync(Api.Comment("/elsewhere/", "In another thread", author: "Cy", email: "cy@example.com"));
        foreach (var id in new[] { a, b, other })
            await host.StoredAsync(id);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Post, $"comments/{a}/pin")).StatusCode);

        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;
        await SignInByKeyAsync(page, host);
        await page.Locator(".tab[data-view=published]").ClickAsync();
        // Pinned before this page was opened: its button says so.
        await Expect(Action(Card(page, a), "pin")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Action(Card(page, b), "pin")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(Action(Card(page, other), "pin")).ToHaveAttributeAsync("aria-pressed", "false");

        // Pinning Bob's takes the pin from Ann's (one a thread), not from another thread's.
        await Action(Card(page, other), "pin").ClickAsync();
        await Action(Card(page, b), "pin").ClickAsync();
        await Expect(Action(Card(page, b), "pin")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Action(Card(page, a), "pin")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(Action(Card(page, other), "pin")).ToHaveAttributeAsync("aria-pressed", "true");
        await Eventually.HoldsAsync(async () => (await host.Http.GetFromJsonAsync<JsonElement>("api/reactions?thread=%2Fpins%2F")).GetProperty("pinned").GetString() == b,
            "Bob's comment to be the thread's pin");

        await page.ReloadAsync();
        await page.Locator(".tab[data-view=published]").ClickAsync();
        await Expect(Action(Card(page, b), "pin")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Action(Card(page, a), "pin")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Empty(tab.Errors);
    }
}
