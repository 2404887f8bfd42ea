using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;
using ServerlessComments.Formatting;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// Comment text as Markdown (<see cref="CommentMarkdown"/>): the subset renders as the CommonMark
/// spec says, and nothing anyone can type becomes anything but the allowed elements, attributes
/// and links.
/// </summary>
public sealed class CommentMarkdownTests(ITestOutputHelper output)
{
    private static string Json(IReadOnlyList<MarkupNode>? nodes) => JsonSerializer.Serialize(nodes, CommentJson.Options);

    [Fact]
    public void The_subset_renders_as_small_nodes_and_the_rest_stays_text()
    {
        Assert.Equal("""[["p","Un ",["em","peu"],", ",["strong","beaucoup"]," et ",["code","du code"]]]""",
            Json(CommentMarkdown.Render("Un *peu*, **beaucoup** et `du code`")));
        Assert.Equal("""[["blockquote",["p","cité"]],["ul",["li","un"],["li","deux"]],["ol",{"start":"3"},["li","trois"]],["pre",["code","x = 1;\n"]]]""",
            Json(CommentMarkdown.Render("> cité\n\n- un\n- deux\n\n3. trois\n\n```js\nx = 1;\n```")));
        // Links, bare addresses included; the widget adds rel="nofollow ugc noopener" to each.
        Assert.Equal("""[["p",["a",{"href":"https://example.com/a"},"lien"]," et ",["a",{"href":"https://www.example.org"},"www.example.org"]]]""",
            Json(CommentMarkdown.Render("[lien](https://example.com/a) et www.example.org")));
        // A line break stays a line break: as text (shown with white-space: pre-line), or <br>.
        Assert.Equal("""[["p","un\ndeux",["br"],"trois ",["em","x"]]]""", Json(CommentMarkdown.Render("un\ndeux\\\ntrois *x*")));
        // No headings, images or raw HTML: their text stays, as typed. A rule stays a rule.
        Assert.Equal("""[["p","# Titre"],["hr"],["p","Titre\n==="]]""", Json(CommentMarkdown.Render("# Titre\n\n---\n\nTitre\n===")));
        Assert.Equal("""[["p","voir ",["em","ceci"]]]""", Json(CommentMarkdown.Render("voir ![*ceci*](https://tracker.example/pixel.gif)")));
        var html = CommentMarkdown.Render("<b onclick=\"x()\">gras</b> *x*")!;
        Assert.Equal("<b onclick=\"x()\">gras</b> ", Assert.Single(html).Children[0].Text);
        Assert.Equal("em", html[0].Children[1].Tag);
        // Only web and mail addresses are links; the text of any other stays.
        Assert.Equal("""[["p","clic ",["a",{"href":"mailto:a@example.com"},"moi"]]]""",
            Json(CommentMarkdown.Render("[clic](javascript:alert(1)) [moi](mailto:a@example.com)")));
    }

    [Fact]
    public void Plain_text_has_no_structure_so_it_shows_as_before()
    {
        Assert.Null(CommentMarkdown.Render("Merci pour l’article !"));
        Assert.Null(CommentMarkdown.Render("Deux lignes\net une autre.\n\nUn paragraphe."));
        Assert.Null(CommentMarkdown.Render("   "));
        var stored = new StoredComment
        {
            Id = "c1", Thread = "/t/", Author = "A", Email = "a@example.com", Body = "Très *bien*",
            CreatedAt = DateTimeOffset.UnixEpoch, Status = CommentStatus.Published,
        };
        var page = Json(ThreadViewBuilder.Build("/t/", [stored, stored with { Id = "c2", Body = "Très bien" }], new ThreadOptions()).FirstPages[ThreadOrder.Oldest].Json);
        Assert.Equal(1, Regex.Count(page, "\"formatted\""));
        Assert.Contains("""
            "formatted":[["p","Très ",["em","bien"]]]
            """, page);
        var off = Json(ThreadViewBuilder.Build("/t/", [stored], new ThreadOptions { Markdown = false }).FirstPages[ThreadOrder.Oldest].Json);
        Assert.DoesNotContain("formatted", off);

        static string Json(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
    }

    [Fact]
    public void Emails_show_the_text_as_typed_never_formatted()
    {
        var notifications = Options.Create(new NotificationOptions
        {
            OwnerEmail = "owner@blog.example.com", FromEmail = "comments@blog.example.com", FromName = "Blog", SiteName = "Blog",
            PublicBaseUrl = "https://comments.example.com", LinkSecret = new string('s', 40), Lang = "en",
        });
        var composer = new EmailComposer(notifications, new LinkSigner(notifications, NullLogger<LinkSigner>.Instance), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var parent = new StoredComment
        {
            Id = "p", Thread = "/t/", Author = "Ann", Email = "ann@example.com", Body = "Hi", NotifyOnReply = true,
            CreatedAt = DateTimeOffset.UnixEpoch, Status = CommentStatus.Published,
        };
        var reply = parent with { Id = "r", ParentId = "p", Author = "Bob", Email = "bob@example.com", Body = "**bold** [link](https://x.example/) <b>raw</b>" };
        foreach (var email in new[] { composer.ReplyNotification(reply, parent), composer.OwnerAlert(reply) })
        {
            Assert.Contains("**bold** [link](https://x.example/) <b>raw</b>", email.Text);
            Assert.Contains("**bold** [link](https://x.example/) &lt;b&gt;raw&lt;/b&gt;", email.Html);
            Assert.DoesNotContain("<strong>", email.Html);
            Assert.DoesNotContain("<a href=\"https://x.example/", email.Html);
        }
    }

    [Fact]
    public void Nodes_read_back_as_written()
    {
        var nodes = CommentMarkdown.Render("> *a* [b](https://b.example/ \"t\")\n\n7. `c`\n8. d  \n   e");
        var back = JsonSerializer.Deserialize<List<MarkupNode>>(Json(nodes), CommentJson.Options);
        Assert.Equal(nodes, back);
        Assert.Equal(Json(nodes), Json(back));
    }

    [Fact]
    public void Nesting_past_the_limit_is_plain_text_and_never_overflows()
    {
        foreach (var text in new[]
                 {
                     new string('>', 10_000) + " x", string.Concat(Enumerable.Repeat("- ", 5_000)) + "x",
                     new string('*', 5_000) + "x" + new string('*', 5_000), new string('[', 5_000) + "x" + new string(']', 5_000) + "(https://a.example/)",
                     string.Concat(Enumerable.Repeat("> - ", 2_500)) + "*x*", new string('`', 10_000),
                 })
        {
            var nodes = CommentMarkdown.Render(text);
            // Whatever comes out fits the view's JSON, nested replies and all.
            Assert.True(nodes is null || Deepest(nodes) <= CommentMarkdown.MaxDepth + 1, text[..20]);
        }
        Assert.Null(CommentMarkdown.Render(new string('>', 11) + " x"));
        Assert.NotNull(CommentMarkdown.Render(new string('>', 9) + " x"));

        static int Deepest(IEnumerable<MarkupNode> nodes) => nodes.Select(n => n.Tag is null ? 0 : 1 + Deepest(n.Children)).DefaultIfEmpty(0).Max();
    }

    /// <summary>Every XSS payload (PayloadsAllTheThings) and every naughty string (the Big List of
    /// Naughty Strings, from npm), as Markdown, renders only allowed elements, attributes and links.</summary>
    [Fact]
    public void Xss_payloads_and_naughty_strings_render_inert()
    {
        var payloads = XssPayloads().Concat(NaughtyStrings()).ToList();
        var formatted = 0;
        foreach (var payload in payloads.Concat(payloads.Select(p => $"*{p}* [x]({p}) [{p}](https://a.example/) <{p}> `{p}`\n\n> {p}")))
        {
            var nodes = CommentMarkdown.Render(payload);
            if (nodes is null)
                continue;
            formatted++;
            AssertInert(nodes, payload);
            Assert.Equal(nodes, JsonSerializer.Deserialize<List<MarkupNode>>(Json(nodes), CommentJson.Options));
        }
        output.WriteLine($"{payloads.Count} payloads, each alone and inside Markdown; {formatted} came out formatted, all inert");
        Assert.True(formatted > payloads.Count / 2);
    }

    /// <summary>The shortcut for plain text never changes what a text renders as.</summary>
    [Fact]
    public void The_plain_text_shortcut_agrees_with_the_full_path()
    {
        var samples = XssPayloads().Concat(NaughtyStrings()).Concat(File.ReadAllLines(SharedFiles.Path("data/spam/youtube/Youtube01-Psy.csv")))
            .Concat(["Merci !\nDeux lignes.\n\nUn paragraphe.", "1. un", "12) douze", "a\n- b", "a  \nb", " a", "a\n\n\nb", "www.example.com", "x@example.com", "a -- b", "2.5 kg", "C# 12", "a = b"])
            .ToList();
        var shortcuts = 0;
        foreach (var text in samples.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            if (CommentMarkdown.MayHaveMarkdown(text))
                continue;
            shortcuts++;
            Assert.True(CommentMarkdown.RenderFully(text) is null, text);
        }
        output.WriteLine($"{samples.Count} texts, {shortcuts} of them took the shortcut");
        Assert.True(shortcuts > 100);
    }

    internal static IEnumerable<string> XssPayloads() =>
        new[] { "IntrudersXSS.txt", "RSNAKE_XSS.txt", "XSS_Polyglots.txt" }
            .SelectMany(name => File.ReadAllLines(SharedFiles.Path("data/xss/" + name))).Where(p => p.Trim().Length > 0);

    internal static IEnumerable<string> NaughtyStrings() =>
        JsonSerializer.Deserialize<string[]>(File.ReadAllText(NpmFile("big-list-of-naughty-strings/blns.json")))!;

    /// <summary>A file of an npm package of .tools (installed by test.sh); absent: a skip, except in CI.</summary>
    internal static string NpmFile(string path)
    {
        var file = Path.Combine(Repo.Root, ".tools", "node_modules", path);
        if (!File.Exists(file))
        {
            if (Repo.InCi)
                throw new FileNotFoundException("CI installs .tools' npm packages first.", file);
            Assert.Skip($".tools/node_modules/{path} is not installed (npm install in .tools).");
        }
        return file;
    }

    private static void AssertInert(IEnumerable<MarkupNode> nodes, string payload)
    {
        var stack = new Stack<MarkupNode>(nodes);
        while (stack.TryPop(out var node))
        {
            if (node.Tag is null)
            {
                Assert.NotNull(node.Text);
                continue;
            }
            Assert.True(CommentMarkdown.AllowedTags.TryGetValue(node.Tag, out var allowed), $"<{node.Tag}> from {payload}");
            foreach (var (name, value) in node.Attributes)
            {
                Assert.Contains(name, allowed);
                if (name == "href")
                {
                    Assert.Matches("^(https?://|mailto:)", value);
                    Assert.True(CommentMarkdown.IsSafeLink(value), value);
                }
            }
            foreach (var child in node.Children)
                stack.Push(child);
        }
    }

    [Fact]
    public void The_widget_checks_the_same_allow_list()
    {
        var source = File.ReadAllText(Path.Combine(Repo.Root, "functions", "ServerlessComments.Web", "Widget", "comments", "markdown.js"));
        var list = Regex.Match(source, @"const ALLOWED = \{([^}]*)\}").Groups[1].Value;
        var widget = Regex.Matches(list, @"(\w+): \[([^\]]*)\]")
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, "\"(\\w+)\"").Select(a => a.Groups[1].Value).ToArray());
        Assert.Equal(CommentMarkdown.AllowedTags.Keys.Order(), widget.Keys.Order());
        foreach (var (tag, attributes) in CommentMarkdown.AllowedTags)
            Assert.Equal(attributes, widget[tag]);
        Assert.Contains(CommentMarkdown.LinkRel, source);
    }
}

/// <summary>The form's Preview (<see cref="CommentPreview"/>): the same rules, and a rate limit.</summary>
public sealed class CommentPreviewTests
{
    [Fact]
    public void Previews_are_formatted_by_the_same_rules_and_limited_per_network_per_minute()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 10, TimeSpan.Zero));
        var preview = new CommentPreview(Options.Create(new ThreadOptions()), clock);
        var shown = Assert.IsType<PreviewOutcome.Shown>(preview.Preview("**a**", "203.0.113.7"));
        Assert.Equal(CommentMarkdown.Render("**a**"), shown.Formatted);
        Assert.Null(Assert.IsType<PreviewOutcome.Shown>(preview.Preview("plain", "203.0.113.7")).Formatted);
        for (var i = 2; i < CommentPreview.PerMinute; i++)
            Assert.IsType<PreviewOutcome.Shown>(preview.Preview("x " + i, "203.0.113.7"));
        // One more from that address: wait for the next minute; another network is not held up.
        Assert.Equal(50, Assert.IsType<PreviewOutcome.TooFast>(preview.Preview("*x*", "203.0.113.7")).Seconds);
        Assert.IsType<PreviewOutcome.Shown>(preview.Preview("*x*", "198.51.100.1"));
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.IsType<PreviewOutcome.Shown>(preview.Preview("*x*", "203.0.113.7"));

        Assert.IsType<PreviewOutcome.Invalid>(preview.Preview("  ", "192.0.2.1"));
        Assert.IsType<PreviewOutcome.Invalid>(preview.Preview(new string('x', 10_001), "192.0.2.1"));
        var off = new CommentPreview(Options.Create(new ThreadOptions { Markdown = false }), clock);
        Assert.Null(Assert.IsType<PreviewOutcome.Shown>(off.Preview("**a**", "192.0.2.1")).Formatted);
    }
}
