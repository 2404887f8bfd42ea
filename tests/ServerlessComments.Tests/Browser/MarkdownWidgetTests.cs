using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Tests.Unit;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>Comments with Markdown in the widget, in Debian's Chromium, from a real self-host.</summary>
[Collection(StorageCollection.Name)]
public sealed class MarkdownWidgetTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
{
    private sealed class Embedded(SelfHost host, BlogServer blog, WatchedPage tab) : IAsyncDisposable
    {
        public void Deconstruct(out SelfHost h, out BlogServer b, out WatchedPage t, out IPage p) => (h, b, t, p) = (host, blog, tab, tab.Page);

        public async ValueTask DisposeAsync()
        {
            await tab.DisposeAsync();
            await blog.DisposeAsync();
            await host.DisposeAsync();
        }
    }

    private async Task<Embedded> EmbedAsync(string thread, string lang, params (string Key, string Value)[] settings)
    {
        var blog = await BlogServer.StartAsync();
        var environment = new Dictionary<string, string> { ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/') };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var host = await SelfHost.StartAsync(azurite.ConnectionString, environment);
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, lang);
        return new Embedded(host, blog, await WatchedPage.OpenAsync(browser));
    }

    [Fact]
    public async Task A_comment_with_Markdown_shows_formatted_its_links_are_nofollow_and_the_preview_works_by_keyboard()
    {
        // A short comment with a link to example.com is what the spam filter holds; this test is about Markdown.
        await using var embedded = await EmbedAsync("/md/", "en", ("Spam__Filter", "false"));
        var (host, blog, tab, page) = embedded;
        await host.PostAcceptedAsync(Api.Comment("/md/", "Un *peu*, **beaucoup**\n\n> cité\n\n- un\n- deux\n\n[lien](https://example.com/a) et `x < y`", author: "Ann", email: "ann@example.com"));
        await host.PostAcceptedAsync(Api.Comment("/md/", "Texte simple\nsur deux lignes.", author: "Bob", email: "bob@example.com"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/md/") == 2, "both comments to show");

        await page.GotoAsync(blog.Origin + "md/");
        var widget = page.Locator("[data-comments]");
        var formatted = widget.Locator("article").Filter(new() { HasText = "beaucoup" }).Locator(".sc-b");
        await Expect(formatted.Locator("p > em")).ToHaveTextAsync("peu");
        await Expect(formatted.Locator("p > strong")).ToHaveTextAsync("beaucoup");
        await Expect(formatted.Locator("blockquote > p")).ToHaveTextAsync("cité");
        await Expect(formatted.Locator("ul > li")).ToHaveTextAsync(["un", "deux"]);
        await Expect(formatted.Locator("code")).ToHaveTextAsync("x < y");
        var link = formatted.Locator("a");
        await Expect(link).ToHaveTextAsync("lien");
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/a");
        await Expect(link).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        // Plain text is shown as before: the text itself, its line break kept.
        var plain = widget.Locator("article").Filter(new() { HasText = "Texte simple" }).Locator(".sc-b");
        Assert.Equal("Texte simple\nsur deux lignes.", await plain.EvaluateAsync<string>("b => b.textContent"));
        Assert.Equal(0, await plain.EvaluateAsync<int>("b => b.children.length"));

        // Preview, by keyboard only: type, Tab to the toggle, Enter shows it, Enter again hides it.
        var body = widget.Locator("[name=body]");
        await body.FocusAsync();
        await page.Keyboard.TypeAsync("Very **bold** and [a link](https://example.org/)");
        await page.Keyboard.PressAsync("Tab");
        var toggle = widget.GetByRole(AriaRole.Button, new() { Name = "Preview" });
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await page.Keyboard.PressAsync("Enter");
        var shown = widget.Locator(".sc-pv");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(shown.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(shown.Locator("a")).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        await page.Keyboard.PressAsync("Enter");
        await Expect(shown).ToBeHiddenAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        // Space works too, and typing again hides a preview that would be stale.
        await page.Keyboard.PressAsync("Space");
        await Expect(shown.Locator("strong")).ToHaveTextAsync("bold");
        await body.FocusAsync();
        await page.Keyboard.TypeAsync(" more");
        await Expect(shown).ToBeHiddenAsync();
        Assert.Empty(tab.Errors);
    }

    /// <summary>Every XSS payload and naughty string, inside Markdown constructs, as comments: the
    /// widget builds only allowed elements, no handler attribute, no script, no javascript: link.</summary>
    [Fact]
    public async Task Xss_payloads_and_naughty_strings_as_Markdown_render_inert()
    {
        await using var embedded = await EmbedAsync("/md-xss/", "en", ("Spam__RefuseDuplicates", "false"), ("Spam__MaxLinks", "1000"), ("Spam__Filter", "false"));
        var (host, blog, tab, page) = embedded;
        static string Flagged(string p) => Regex.Replace(p, "alert|prompt|confirm", "__xss", RegexOptions.IgnoreCase);
        var pieces = CommentMarkdownTests.XssPayloads().Concat(CommentMarkdownTests.NaughtyStrings())
            .Select(p => Flagged(p).Replace("\r", "").Replace("\n", " "))
            .Select(p => $"*{p}* [x]({p}) [{p}](https://a.example/) <{p}> `{p}` {p}\n\n> {p}\n\n- {p}").ToList();
        // Pieces in comments of at most 9,000 characters: a few hundred posts, not thousands.
        var bodies = new List<string>();
        foreach (var piece in pieces.Where(p => p.Length < 9_000))
        {
            if (bodies.Count == 0 || bodies[^1].Length + piece.Length > 9_000)
                bodies.Add(piece);
            else
                bodies[^1] += "\n\n" + piece;
        }
        var accepted = 0;
        foreach (var body in bodies)
        {
            var response = await host.PostAsync(new { thread = "/md-xss/", author = "X", email = $"x{accepted}@example.com", body });
            if (response.StatusCode == HttpStatusCode.Accepted)
                accepted++;
            else
                output.WriteLine($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        output.WriteLine($"{pieces.Count} payloads in {bodies.Count} comments, {accepted} accepted");
        Assert.True(accepted >= bodies.Count * 9 / 10);
        await Eventually.HoldsAsync(async () => await host.CountAsync("/md-xss/") == accepted, "every accepted comment to be published", TimeSpan.FromSeconds(120));

        await page.GotoAsync(blog.Origin + "md-xss/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("article")).ToHaveCountAsync(Math.Min(accepted, 50), new() { Timeout = 30_000 });
        await page.Mouse.MoveAsync(100, 300);
        await page.Mouse.WheelAsync(0, 50_000);
        await page.WaitForTimeoutAsync(1000);
        await AssertInertAsync(tab);
        Assert.True(await widget.Locator(".sc-b em").CountAsync() > 0, "the Markdown was formatted");
        Assert.Empty(tab.Errors);
    }

    /// <summary>A view that says more than the allow-list (as a sanitizer bug or a tampered view
    /// would) still builds only allowed elements, attributes and links: the widget checks again.</summary>
    [Fact]
    public async Task The_widget_checks_every_node_again_whatever_the_view_says()
    {
        await using var embedded = await EmbedAsync("/md-tampered/", "en");
        var (host, blog, tab, page) = embedded;
        const string formatted = """
            [["p", {"onclick": "__xss()", "style": "x"}, "ok ", ["a", {"href": "javascript:__xss()"}, "js"], " ",
              ["a", {"href": "https://example.com/", "onmouseover": "__xss()", "rel": "opener"}, "web"], " ",
              ["a", {"href": " JaVaScRiPt:__xss()"}, "js2"], ["em", "fine"]]]
            """;
        var hostile = new[]
        {
            formatted,
            """[["script", "__xss()"]]""", """[["img", {"src": "x", "onerror": "__xss()"}]]""", """[["__proto__", "x"]]""",
            """[["iframe", {"srcdoc": "<script>__xss()</script>"}]]""", """[["p", ["svg", ["script", "__xss()"]]]]""",
        };
        var comments = hostile.Select((f, i) => $$"""{"id":"c{{i}}","parentId":null,"author":"A","website":null,"body":"plain {{i}}","createdAt":"2026-01-01T00:00:0{{i}}Z","formatted":{{f}},"replies":[]}""");
        var view = $$"""{"thread":"/md-tampered/","count":{{hostile.Length}},"order":"oldest","comments":[{{string.Join(",", comments)}}],"next":null}""";
        await page.RouteAsync("**/api/comments?thread=*", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = view }));
        await page.GotoAsync(blog.Origin + "md-tampered/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("article")).ToHaveCountAsync(hostile.Length);
        var first = widget.Locator("article").First.Locator(".sc-b");
        await Expect(first.Locator("p > em")).ToHaveTextAsync("fine");
        await Expect(first.Locator("a")).ToHaveCountAsync(1);
        await Expect(first.Locator("a")).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        await Expect(first).ToHaveTextAsync("ok js web js2fine");
        // Anything outside the allow-list: the comment is shown as its plain text.
        for (var i = 1; i < hostile.Length; i++)
            await Expect(widget.Locator("article").Nth(i).Locator(".sc-b")).ToHaveTextAsync("plain " + i);
        await page.Locator("a").Last.HoverAsync();
        await AssertInertAsync(tab);
    }

    private static async Task AssertInertAsync(WatchedPage tab)
    {
        Assert.Empty(tab.Dialogs);
        Assert.Equal(0, await tab.XssFlagAsync());
        var found = await tab.Page.EvaluateAsync<JsonElement>("""
            () => {
              const tags = new Set(), attributes = new Set(), hrefs = [], rels = new Set();
              for (const el of document.querySelectorAll("[data-comments] .sc-b *")) {
                tags.add(el.tagName.toLowerCase());
                for (const a of el.attributes) attributes.add(a.name);
                if (el.tagName == "A") { hrefs.push(el.getAttribute("href")); rels.add(el.getAttribute("rel")); }
              }
              const outside = document.querySelectorAll("script, img:not([data-comments] header > img.sc-av), svg:not([data-comments] header > svg.sc-av), iframe, object, embed, style, frame, video, audio, math").length;
              return { tags: [...tags], attributes: [...attributes], hrefs, rels: [...rels], outside };
            }
            """);
        Assert.All(found.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString(), Formatting.CommentMarkdown.AllowedTags.Keys));
        Assert.All(found.GetProperty("attributes").EnumerateArray(), a => Assert.Contains(a.GetString(), new[] { "href", "title", "start", "rel" }));
        Assert.All(found.GetProperty("hrefs").EnumerateArray(), h => Assert.Matches("^(https?://|mailto:)", h.GetString()));
        Assert.All(found.GetProperty("rels").EnumerateArray(), r => Assert.Equal(Formatting.CommentMarkdown.LinkRel, r.GetString()));
        Assert.Equal(1, found.GetProperty("outside").GetInt32()); // the page's own script tag
    }
}
