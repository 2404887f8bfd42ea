using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Texts;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>
/// The widget embedded as an owner embeds it: a blog page on another origin (its own server on
/// loopback) with one element and one script tag from the API's host, in Debian's Chromium.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class WidgetTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>A self-host, a blog on another origin that embeds the widget for
    /// <paramref name="thread"/>, and a browser tab; disposed tab first, host last.</summary>
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

    private async Task<Embedded> EmbedAsync(string thread, string lang = "fr", params (string Key, string Value)[] settings)
    {
        var blog = await BlogServer.StartAsync();
        var environment = new Dictionary<string, string> { ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/') };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var host = await SelfHost.StartAsync(azurite.ConnectionString, environment);
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, lang);
        return new Embedded(host, blog, await WatchedPage.OpenAsync(browser));
    }

    private static ILocator Field(IPage page, string name) => page.Locator($"[data-comments] form.sc-f [name={name}]");

    /// <summary>Types a comment into the form as a reader would; a null website is left as it is.</summary>
    private static async Task FillAsync(IPage page, string body, string author, string email, string? website = null)
    {
        await Field(page, "body").FillAsync(body);
        await Field(page, "author").FillAsync(author);
        await Field(page, "email").FillAsync(email);
        if (website is not null)
            await Field(page, "website").FillAsync(website);
    }

    [Fact]
    public async Task A_big_thread_comes_a_page_at_a_time_and_deep_replies_say_whom_they_answer()
    {
        await using var embedded = await EmbedAsync("/big/", "fr", ("Threads__PageSize", "5"), ("Threads__MaxDepth", "2"));
        var (host, blog, tab, page) = embedded;
        var first = await host.PostAcceptedAsync(Api.Comment("/big/", "Racine 0", author: "Alice", email: "alice@example.com"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/big/") == 1, "the first comment to show");
        var reply = await host.PostAcceptedAsync(Api.Comment("/big/", "Réponse", author: "Bruno", email: "bruno@example.com", parentId: first));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/big/") == 2, "the reply to show");
        await host.PostAcceptedAsync(Api.Comment("/big/", "Réponse à la réponse", author: "Chloé", email: "chloe@example.com", parentId: reply));
        for (var i = 1; i < 7; i++)
            await host.PostAcceptedAsync(Api.Comment("/big/", "Racine " + i, author: "Lecteur " + i, email: $"r{i}@example.com"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/big/") == 9, "every comment to show");

        await page.GotoAsync(blog.Origin + "big/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("9 Commentaires");
        var roots = widget.Locator("section > ol.sc-list > li > article");
        await Expect(roots).ToHaveCountAsync(5);
        // Two levels at most: the reply to the reply is beside it, saying whom it answers.
        var deep = widget.Locator("article").Filter(new() { HasText = "Réponse à la réponse" });
        await Expect(deep.Locator("a.sc-to")).ToHaveTextAsync("en réponse à Bruno");
        await Expect(deep.Locator("a.sc-to")).ToHaveAttributeAsync("href", "#comment-" + reply);
        Assert.Equal(2, await widget.Locator("ol.sc-list ol.sc-list > li").CountAsync());
        Assert.Equal(0, await widget.Locator("ol.sc-list ol.sc-list ol.sc-list").CountAsync());

        var more = widget.GetByRole(AriaRole.Button, new() { Name = "Plus de commentaires" });
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(roots).ToHaveCountAsync(7);
        await Expect(roots.Nth(5)).ToBeFocusedAsync(); // keyboard focus lands on the first new comment
        await Expect(roots.Nth(6).Locator(".sc-b")).ToHaveTextAsync("Racine 6");
        await Expect(more).ToBeHiddenAsync();
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task A_reader_posts_a_comment_and_a_reply_through_the_form_and_sees_them_published()
    {
        await using var embedded = await EmbedAsync("/post-form/");
        var (host, blog, tab, page) = embedded;
        await page.GotoAsync(blog.Origin + "post-form/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("Aucun commentaire");

        await FillAsync(page, "Premier commentaire\nsur deux lignes", "Zoé", "zoe@example.com", "https://zoe.example.org/");
        await Field(page, "notify").CheckAsync();
        await Field(page, "remember").CheckAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Publier le commentaire" }).ClickAsync();

        // At once: shown, marked as awaiting moderation, focused, announced.
        var mine = widget.Locator("article.sc-c").Filter(new() { HasText = "Premier commentaire" });
        await Expect(mine.Locator(".sc-p")).ToHaveTextAsync("En attente de modération");
        await Expect(mine).ToBeFocusedAsync();
        await Expect(mine.Locator(".sc-b")).ToHaveTextAsync("Premier commentaire\nsur deux lignes");
        await Expect(mine.Locator("a.sc-a")).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        // Then published (moderation is off on this host): the mark goes, the count follows.
        await Expect(mine.Locator(".sc-p")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(widget.Locator("h2")).ToHaveTextAsync("1 Commentaire");
        await Expect(widget.Locator(".sc-s[role=status]")).ToHaveTextAsync("Votre commentaire est publié.");
        var parentId = (await mine.GetAttributeAsync("id"))!["comment-".Length..];
        Assert.Equal("Zoé", JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=/post-form/"))
            .RootElement.GetProperty("comments")[0].GetProperty("author").GetString());

        // "Save my details" kept them in this browser only: a reload fills the form in.
        await page.ReloadAsync();
        await Expect(widget.Locator("h2")).ToHaveTextAsync("1 Commentaire");
        await Expect(Field(page, "author")).ToHaveValueAsync("Zoé");
        await Expect(Field(page, "email")).ToHaveValueAsync("zoe@example.com");
        await Expect(Field(page, "remember")).ToBeCheckedAsync();

        // Reply: the form opens under that comment, headed with its author.
        await mine.GetByRole(AriaRole.Button, new() { Name = "Répondre" }).ClickAsync();
        await Expect(widget.Locator("form h3")).ToHaveTextAsync("Répondre à Zoé");
        await Expect(page.Locator($"li:has(> #comment-{parentId}) > form")).ToHaveCountAsync(1);
        await Expect(Field(page, "body")).ToBeFocusedAsync();
        await FillAsync(page, "Une réponse à Zoé.", "Yann", "yann@example.com", "");
        await Field(page, "remember").UncheckAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Publier le commentaire" }).ClickAsync();

        var reply = page.Locator($"li:has(> #comment-{parentId}) > ol.sc-list > li > article");
        await Expect(reply.Locator(".sc-b")).ToHaveTextAsync("Une réponse à Zoé.");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("2 Commentaires", new() { Timeout = 30_000 });
        await Expect(reply.Locator(".sc-p")).ToHaveCountAsync(0);
        // The form went back below the thread; unticking "save" forgot the details.
        await Expect(widget.Locator("form h3")).ToHaveTextAsync("Laisser un commentaire");
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('serverless-comments:author')"));

        var thread = JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=/post-form/")).RootElement;
        var stored = thread.GetProperty("comments")[0].GetProperty("replies")[0];
        Assert.Equal(parentId, stored.GetProperty("parentId").GetString());
        Assert.Equal("Yann", stored.GetProperty("author").GetString());
        Assert.Empty(await tab.CookiesAsync());
        Assert.All(tab.Requests, url => Assert.True(url.StartsWith(blog.Origin.ToString()) || url.StartsWith(host.BaseAddress.ToString()), url));
        Assert.Empty(tab.Errors);
        output.WriteLine("screenshot: " + await tab.ScreenshotAsync("widget-reply"));
    }

    [Fact]
    public async Task A_held_comment_stays_marked_awaiting_moderation()
    {
        await using var embedded = await EmbedAsync("/held/", "en", ("Moderation__Mode", "all"), ("Admin__ApiKey", Api.AdminKey));
        var (host, blog, tab, page) = embedded;
        await page.GotoAsync(blog.Origin + "held/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("No comments");

        await FillAsync(page, "Please approve me.", "Ann", "ann@example.com");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var mine = widget.Locator("article.sc-c");
        await Expect(mine.Locator(".sc-p")).ToHaveTextAsync("Awaiting moderation");
        var id = (await mine.GetAttributeAsync("id"))!["comment-".Length..];

        // Stored as pending by the processor, and the widget has looked again since: still marked.
        var stored = await host.StoredAsync(id);
        Assert.Equal("pending", stored.GetProperty("status").GetString());
        await page.WaitForTimeoutAsync(3500);
        await Expect(mine.Locator(".sc-p")).ToHaveTextAsync("Awaiting moderation");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("No comments");
        await Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToHaveCountAsync(0);

        // Approved by the owner: the widget, still watching, marks it published.
        await host.AdminAsync(HttpMethod.Post, $"comments/{id}/approve");
        await Expect(mine.Locator(".sc-p")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(widget.Locator("h2")).ToHaveTextAsync("1 Comment");
    }

    [Fact]
    public async Task Errors_show_beside_their_fields_and_refusals_are_said_in_plain_words()
    {
        await using var embedded = await EmbedAsync("/errors/", "fr", ("Spam__FloodSeconds", "60"));
        var (host, blog, tab, page) = embedded;
        var posts = 0;
        page.Request += (_, request) => { if (request.Method == "POST") posts++; };
        await page.GotoAsync(blog.Origin + "errors/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("Aucun commentaire");
        var submit = widget.GetByRole(AriaRole.Button, new() { Name = "Publier le commentaire" });

        // Required fields, checked before sending: each says so beside itself.
        await submit.ClickAsync();
        foreach (var name in new[] { "body", "author", "email" })
        {
            await Expect(Field(page, name)).ToHaveAttributeAsync("aria-invalid", "true");
            var described = await Field(page, name).GetAttributeAsync("aria-describedby");
            await Expect(page.Locator("#" + described)).ToHaveTextAsync("Ce champ est obligatoire.");
        }
        await Expect(Field(page, "body")).ToBeFocusedAsync();
        Assert.Equal(0, posts);

        // What only the API knows: its problem details land beside the fields they name.
        await FillAsync(page, "Un commentaire.", "Ann", "pas-une-adresse", "javascript:alert(1)");
        await submit.ClickAsync();
        var direct = await host.PostAsync(new { thread = "/errors/", body = "Un commentaire.", author = "Ann", email = "pas-une-adresse", website = "javascript:alert(1)", lang = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        var errors = (await direct.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        // The page is French, so is the API's answer about what the reader typed.
        Assert.Equal("Cette adresse e-mail n’est pas valide.", errors.GetProperty("email")[0].GetString());
        foreach (var name in new[] { "email", "website" })
        {
            await Expect(page.Locator($"#{await Field(page, name).GetAttributeAsync("id")}-e")).ToHaveTextAsync(errors.GetProperty(name)[0].GetString()!);
            await Expect(Field(page, name)).ToHaveAttributeAsync("aria-invalid", "true");
        }
        await Expect(Field(page, "body")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Field(page, "email")).ToBeFocusedAsync();
        await Expect(widget.Locator("article")).ToHaveCountAsync(0);

        // A good comment, then the same text again (409), then another too soon (429).
        await Field(page, "email").FillAsync("ann@example.com");
        await Field(page, "website").FillAsync("");
        await submit.ClickAsync();
        await Expect(widget.Locator("article")).ToHaveCountAsync(1);
        await Expect(Field(page, "email")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        // A duplicate is known once the first copy is stored (two sent at once are stored once).
        await Expect(widget.Locator(".sc-s[role=status]")).ToHaveTextAsync("Votre commentaire est publié.", new() { Timeout = 30_000 });

        await Field(page, "body").FillAsync("Un commentaire.");
        await submit.ClickAsync();
        await Expect(widget.Locator(".sc-s[role=status]")).ToHaveTextAsync("Vous avez déjà publié ce commentaire ici.");

        await Field(page, "body").FillAsync("Un autre commentaire, trop tôt.");
        await submit.ClickAsync();
        await Expect(widget.Locator(".sc-s[role=status]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Vous commentez trop vite\. Réessayez dans \d+ secondes\.$"));
        await Expect(widget.Locator("article")).ToHaveCountAsync(1);
        // The refused text stays in the form, for the reader to send later.
        await Expect(Field(page, "body")).ToHaveValueAsync("Un autre commentaire, trop tôt.");

        await host.DrainedAsync();
        Assert.Equal(1, await host.CountAsync("/errors/"));
    }

    [Fact]
    public async Task A_reader_can_reply_and_post_with_the_keyboard_alone()
    {
        await using var embedded = await EmbedAsync("/keyboard/", "fr");
        var (host, blog, tab, page) = embedded;
        var first = await host.PostAcceptedAsync(Api.Comment("/keyboard/", "Un premier commentaire.", author: "Ann"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/keyboard/") == 1, "the first comment to be published");
        await page.GotoAsync(blog.Origin + "keyboard/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("1 Commentaire");

        async Task<string> Focused() => await page.EvaluateAsync<string>(
            "() => { const e = document.activeElement; return (e.name || e.className || e.tagName) + ''; }");

        // The first stop is the thread's feed link, beside the count; then the page's reactions
        // and the order buttons; then the comment's Reply button, where Enter opens the form
        // under it, in the text.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sc-fd", await Focused());
        var bar = new List<string>();
        await page.Keyboard.PressAsync("Tab");
        while (await Focused() != "sc-r" && bar.Count < 20)
        {
            bar.Add(await Focused());
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("sc-r", await Focused());
        Assert.All(bar, stop => Assert.Contains(stop, new[] { "sc-like", "sc-sort" }));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("body", await Focused());
        await page.Keyboard.TypeAsync("Réponse tapée au clavier.");
        // The text's Preview button, then the fields.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveAttributeAsync("aria-pressed", "false");
        foreach (var (next, text) in new[] { ("author", "Kim"), ("email", "kim@example.com"), ("website", "") })
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal(next, await Focused());
            if (text.Length > 0)
                await page.Keyboard.TypeAsync(text);
        }
        // The honeypot is skipped: the next stop is the notify checkbox.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("notify", await Focused());
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("remember", await Focused());
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Publier le commentaire");
        await page.Keyboard.PressAsync("Enter");

        // Focus lands on the new reply, under its parent.
        var reply = page.Locator($"li:has(> #comment-{first}) > ol.sc-list > li > article");
        await Expect(reply).ToBeFocusedAsync();
        await Expect(reply.Locator(".sc-b")).ToHaveTextAsync("Réponse tapée au clavier.");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("2 Commentaires", new() { Timeout = 30_000 });
        Assert.True(await Field(page, "notify").IsCheckedAsync());

        // Cancelling a reply by keyboard gives focus back to the button that opened it.
        var replyButton = page.Locator($"#comment-{first} .sc-r");
        await replyButton.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(widget.Locator("form h3")).ToHaveTextAsync("Répondre à Ann");
        await page.Locator("[data-comments] .sc-x").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(replyButton).ToBeFocusedAsync();
        await Expect(widget.Locator("form h3")).ToHaveTextAsync("Laisser un commentaire");
    }

    [Fact]
    public async Task Names_are_isolated_from_the_date_beside_them_and_lose_their_bidi_controls()
    {
        await using var embedded = await EmbedAsync("/names/", "en");
        var (host, blog, tab, page) = embedded;
        await host.PostAcceptedAsync(Api.Comment("/names/", "Shalom", author: "\u05D0\u05DC\u05D9\u05E1 2024", email: "hebrew@example.com"));
        await host.PostAcceptedAsync(new { thread = "/names/", author = "Alice\u202E", email = "alice@example.com", body = "Reversed?", website = "https://alice.example.org/" });
        await Eventually.HoldsAsync(async () => await host.CountAsync("/names/") == 2, "both comments to show");

        await page.GotoAsync(blog.Origin + "names/");
        var widget = page.Locator("[data-comments]");
        // Each name in its own <bdi>: its direction never spills onto the date after it.
        var hebrew = widget.Locator("article").Filter(new() { HasText = "Shalom" });
        await Expect(hebrew.Locator(".sc-a > bdi")).ToHaveTextAsync("\u05D0\u05DC\u05D9\u05E1 2024");
        var alice = widget.Locator("article").Filter(new() { HasText = "Reversed?" });
        await Expect(alice.Locator("a.sc-a > bdi")).ToHaveTextAsync("Alice");
        Assert.Equal("Alice", await alice.Locator("a.sc-a").EvaluateAsync<string>("a => a.textContent"));
    }

    [Fact]
    public async Task Xss_payloads_as_author_website_and_text_render_as_inert_text()
    {
        var files = new[] { "IntrudersXSS.txt", "RSNAKE_XSS.txt", "XSS_Polyglots.txt" }
            .Select(name => SharedFiles.Path("data/xss/" + name)).ToList();
        // Plain text here (every text reads back exactly); as Markdown: MarkdownWidgetTests.
        await using var embedded = await EmbedAsync("/xss/", "fr", ("Spam__RefuseDuplicates", "false"), ("Spam__MaxLinks", "1000"), ("Threads__Markdown", "false"),
            // Payloads are what this test shows, not what the learning filter would let through.
            ("Spam__Filter", "false"));
        var (host, blog, tab, page) = embedded;

        var payloads = files.SelectMany(File.ReadAllLines).Where(p => p.Trim().Length > 0).ToList();
        static string Cap(string text) => text.Length > 80 ? text[..80] : text;
        // The same payload with its alert/prompt/confirm turned into a call that sets a flag.
        static string Flagged(string p) => System.Text.RegularExpressions.Regex.Replace(p, "alert|prompt|confirm", "__xss", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        int accepted = 0, websites = 0;
        foreach (var payload in payloads)
        {
            var flagged = Flagged(payload);
            foreach (var comment in new object[]
                     {
                         new { thread = "/xss/", author = Cap(payload), email = "x@example.com", body = payload },
                         new { thread = "/xss/", author = Cap(flagged), email = "y@example.com", body = flagged, website = payload },
                         new { thread = "/xss/", author = Cap(flagged), email = "z@example.com", body = flagged, website = "https://example.com/?" + flagged },
                     })
            {
                var response = await host.PostAsync(comment);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted++;
                    if (JsonSerializer.SerializeToElement(comment).TryGetProperty("website", out var site) && site.ValueKind == JsonValueKind.String)
                        websites++;
                }
                else
                    Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }
        }
        output.WriteLine($"{payloads.Count} payloads; {accepted} comments accepted, {websites} of them with a website");
        Assert.True(accepted > payloads.Count, "most payloads should be accepted as text, to be rendered");
        await Eventually.HoldsAsync(async () => await host.CountAsync("/xss/") == accepted, "every accepted payload to be published", TimeSpan.FromSeconds(120));

        await page.GotoAsync(blog.Origin + "xss/");
        var widget = page.Locator("[data-comments]");
        await Expect(widget.Locator("h2")).ToHaveTextAsync($"{accepted} Commentaires", new() { Timeout = 30_000 });
        await page.Mouse.MoveAsync(100, 300);
        await page.Mouse.WheelAsync(0, 50_000);
        await page.WaitForTimeoutAsync(1000);

        Assert.Empty(tab.Dialogs);
        Assert.Equal(0, await tab.XssFlagAsync());
        // Only the widget's own elements and attributes, and links only to http(s) addresses.
        var found = await page.EvaluateAsync<JsonElement>("""
            () => {
              const tags = new Set(), attributes = new Set(), hrefs = [];
              for (const el of document.querySelectorAll("[data-comments] *")) {
                tags.add(el.tagName.toLowerCase());
                for (const a of el.attributes) attributes.add(a.name);
                if (el.hasAttribute("href")) hrefs.push(el.getAttribute("href"));
              }
              const outside = document.querySelectorAll("script, img:not([data-comments] header > img.sc-av), svg:not([data-comments] header > svg.sc-av), iframe, object, embed, style, link:not([data-comments-css]), meta:not([charset]), base, frame, video, audio, marquee, isindex, math").length;
              return { tags: [...tags], attributes: [...attributes], hrefs, outside };
            }
            """);
        string[] widgetTags = ["section", "h2", "h3", "ol", "li", "article", "header", "a", "b", "bdi", "time", "p", "div", "form", "label", "span", "textarea", "input", "button", "details", "summary", "img", "svg", "g", "rect"];
        string[] widgetAttributes = ["class", "id", "tabindex", "href", "rel", "datetime", "type", "aria-labelledby", "aria-live", "aria-hidden", "aria-expanded", "aria-controls",
            "role", "for", "name", "rows", "maxlength", "autocomplete", "required", "novalidate", "hidden",
            "src", "alt", "width", "height", "loading", "aria-pressed", "aria-label", "title", "viewBox", "x", "y", "fill"];
        Assert.All(found.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString(), widgetTags));
        Assert.All(found.GetProperty("attributes").EnumerateArray(), a => Assert.Contains(a.GetString(), widgetAttributes));
        Assert.All(found.GetProperty("hrefs").EnumerateArray(), h => Assert.Matches("^https?://", h.GetString()));
        // The page's own script tag is the only one: none came from a payload.
        Assert.Equal(1, found.GetProperty("outside").GetInt32());
        Assert.Equal(websites > 0, found.GetProperty("hrefs").GetArrayLength() > 0);

        // Every text reads exactly as stored, in the same order.
        var thread = JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=/xss/")).RootElement.GetProperty("comments");
        Assert.Equal(thread.EnumerateArray().Select(c => c.GetProperty("body").GetString()), await widget.Locator(".sc-b").AllTextContentsAsync());
        Assert.Equal(thread.EnumerateArray().Select(c => c.GetProperty("author").GetString()), await widget.Locator(".sc-a").AllTextContentsAsync());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task When_the_network_fails_the_reader_is_told_and_keeps_the_text()
    {
        await using var embedded = await EmbedAsync("/offline/");
        var (host, blog, tab, page) = embedded;
        var widget = page.Locator("[data-comments]");

        // The thread cannot be read: the heading says so instead of a count.
        await page.RouteAsync("**/api/comments?thread=*", route => route.AbortAsync("connectionrefused"));
        await page.GotoAsync(blog.Origin + "offline/");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("Les commentaires n’ont pas pu être chargés.");

        // The post cannot be sent: a plain message, and the text stays for another try.
        await page.RouteAsync("**/api/comments", route => route.AbortAsync("connectionreset"));
        await FillAsync(page, "Envoyé hors ligne.", "Ann", "ann@example.com");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Publier le commentaire" }).ClickAsync();
        await Expect(widget.Locator(".sc-s[role=status]")).ToHaveTextAsync("Votre commentaire n’a pas pu être envoyé. Réessayez dans un instant.");
        await Expect(Field(page, "body")).ToHaveValueAsync("Envoyé hors ligne.");
        await Expect(widget.Locator("article")).ToHaveCountAsync(0);

        // Back online, the same form sends it.
        await page.UnrouteAllAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Publier le commentaire" }).ClickAsync();
        await Expect(widget.Locator("article .sc-b")).ToHaveTextAsync("Envoyé hors ligne.");
        await Eventually.HoldsAsync(async () => await host.CountAsync("/offline/") == 1, "the comment to be published");
    }

    [Fact]
    public async Task A_lost_answer_is_sent_again_with_the_same_key_and_the_reader_sees_the_comment_that_is_stored()
    {
        await using var embedded = await EmbedAsync("/lost-answer/", "en", ("Spam__FloodSeconds", "60"));
        var (host, blog, tab, page) = embedded;
        var widget = page.Locator("[data-comments]");
        await page.GotoAsync(blog.Origin + "lost-answer/");
        await Expect(widget.Locator("h2")).ToHaveTextAsync("No comments");

        // The server takes the first POST and queues the comment, but its answer never arrives.
        var keys = new List<string>();
        await page.RouteAsync("**/api/comments", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            lock (keys)
                keys.Add(route.Request.Headers.GetValueOrDefault("idempotency-key") ?? "");
            if (keys.Count == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
            }
            else
                await route.ContinueAsync();
        });
        await FillAsync(page, "Sent once, answered once.", "Ann", "ann@example.com");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();

        var mine = widget.Locator("article.sc-c").Filter(new() { HasText = "Sent once, answered once." });
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine.Locator(".sc-p")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Equal(2, keys.Count);
        Assert.Matches("^\"[0-9a-f]{32}\"$", keys[0]);
        Assert.Equal(keys[0], keys[1]);
        var stored = JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=/lost-answer/")).RootElement.GetProperty("comments");
        Assert.Equal(1, stored.GetArrayLength());
        Assert.Equal("comment-" + stored[0].GetProperty("id").GetString(), await mine.GetAttributeAsync("id"));
    }

    [Fact]
    public async Task Without_data_thread_the_thread_is_the_page_path_for_the_widget_and_the_count_links()
    {
        await using var embedded = await EmbedAsync("unused");
        var (host, blog, tab, page) = embedded;
        var id = await host.PostAcceptedAsync(Api.Comment("/2026/11/a-post/", "On the post's own path."));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/2026/11/a-post/") == 1, "the comment to be published");
        blog.Html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title></head><body>
            <a class="count" href="/2026/11/a-post/#comments" data-comment-count></a>
            <a class="count" href="/2026/11/another-post/" data-comment-count></a>
            <div data-comments></div>
            <script src="{host.BaseAddress}api/widget/comments.js" defer></script>
            <script src="{host.BaseAddress}api/widget/count.js" defer></script></body></html>
            """;
        await page.GotoAsync(blog.Origin + "2026/11/a-post/");
        await Expect(page.Locator("[data-comments] h2")).ToHaveTextAsync("1 Comment");
        await Expect(page.Locator($"#comment-{id} .sc-b")).ToHaveTextAsync("On the post's own path.");
        await Expect(page.Locator(".count").Nth(0)).ToHaveTextAsync("1 Comment");
        await Expect(page.Locator(".count").Nth(1)).ToHaveTextAsync("No comments");
        // The style sheet came once, from the API's host, beside the script.
        await Expect(page.Locator("link[data-comments-css]")).ToHaveAttributeAsync("href", host.BaseAddress + "api/widget/comments.css");
    }

    [Fact]
    public async Task Each_language_page_gets_its_own_words_and_plural_forms_from_its_own_bundle()
    {
        await using var embedded = await EmbedAsync("unused", "en");
        var (host, blog, tab, page) = embedded;
        for (var i = 0; i < 5; i++)
            await host.PostAcceptedAsync(Api.Comment("/five/", "Comment " + i, author: "Reader " + i, email: $"r{i}@example.com"));
        for (var i = 0; i < 2; i++)
            await host.PostAcceptedAsync(Api.Comment("/two/", "Comment " + i, author: "Reader " + i, email: $"t{i}@example.com"));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/five/") == 5 && await host.CountAsync("/two/") == 2, "every comment to show");

        // A tag as pages write it; the server's choice (Strings.Count, CLDR rules) is what the browser's Intl.PluralRules must show.
        foreach (var tag in new[] { "en", "fr", "de-DE", "es", "it", "pt-BR", "nl", "pl", "ja", "zh-Hans" })
        {
            var words = Strings.For(tag);
            blog.Html = $"""
                <!doctype html><html lang="{tag}"><head><meta charset="utf-8"><title>A post</title></head><body>
                <a class="count" href="/two/" data-comment-count></a>
                <a class="count" href="/none/" data-comment-count></a>
                <div data-comments data-thread="/five/"></div>
                <script src="{host.BaseAddress}api/widget/comments.js?lang={Uri.EscapeDataString(tag)}" defer></script>
                <script src="{host.BaseAddress}api/widget/count.js" defer></script></body></html>
                """;
            await page.GotoAsync(blog.Origin + "five/");
            await Expect(page.Locator("[data-comments] h2")).ToHaveTextAsync(words.Count("widget", "count", 5));
            await Expect(page.Locator(".count").Nth(0)).ToHaveTextAsync(words.Count("widget", "count", 2));
            await Expect(page.Locator(".count").Nth(1)).ToHaveTextAsync(words.Count("widget", "count", 0));
            await Expect(page.Locator("[data-comments] form.sc-f button[type=submit]")).ToHaveTextAsync(words.Get("widget", "submit"));
            // The comment's date in the page's language, as the browser writes it.
            var date = await page.EvaluateAsync<string>("tag => new Intl.DateTimeFormat(tag, { dateStyle: 'long' }).format(new Date())", tag);
            await Expect(page.Locator("[data-comments] article").First).ToContainTextAsync(date);
        }
        // The Polish forms, spelled out: few for 2, many for 5.
        Assert.Equal("2 komentarze", Strings.For("pl").Count("widget", "count", 2));
        Assert.Equal("5 komentarzy", Strings.For("pl").Count("widget", "count", 5));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_widget_fits_in_12_KB_gzipped_and_is_cached_by_etag()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString);
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        var sizes = new Dictionary<string, long>();
        // comments.js per language (English and that one), and without ?lang (English and French).
        foreach (var file in new[] { "comments.js", "comments.css", "count.js" }.Concat(Strings.Languages.Order().Select(l => "comments.js?lang=" + l)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/widget/" + file);
            request.Headers.AcceptEncoding.ParseAdd("gzip, br");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            var gzipped = await response.Content.ReadAsByteArrayAsync();
            sizes[file] = gzipped.Length;

            // Revalidation by ETag answers 304 with no body.
            using var again = new HttpRequestMessage(HttpMethod.Get, "api/widget/" + file);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
        output.WriteLine(string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value} B gzipped")));
        Assert.All(sizes.Where(s => s.Key.StartsWith("comments.js", StringComparison.Ordinal)), s => Assert.InRange(s.Value + sizes["comments.css"], 1, 12 * 1024));
        Assert.InRange(sizes["count.js"], 1, 8 * 1024);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/widget/secrets.json")).StatusCode);
    }
}
