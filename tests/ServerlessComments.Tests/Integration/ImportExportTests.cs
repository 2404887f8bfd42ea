using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static ServerlessComments.Tests.Core.ImportTests;

namespace ServerlessComments.Tests.Integration;

/// <summary>Import, export and personal data over the real self-host and Azurite: the binary's
/// verbs and the admin routes.</summary>
[Collection(StorageCollection.Name)]
public sealed class ImportExportTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string> Admin = new() { ["Admin__ApiKey"] = Api.AdminKey };

    /// <summary>The reference thread as WordPress would export it (its author's replies by user 1),
    /// with a held, a spam, a trashed, a pingback, a third-level and an HTML-heavy comment.</summary>
    private static string ReferenceWxr(SeedThread seed)
    {
        var ids = seed.Comments.Select((c, i) => (c.Key, Id: i + 1)).ToDictionary(x => x.Key, x => x.Id);
        var comments = new StringBuilder();
        foreach (var (c, i) in seed.Comments.Select((c, i) => (c, i)))
            comments.Append(Comment(i + 1, content: WebUtility.HtmlEncode(c.Body), parent: c.ParentKey is null ? 0 : ids[c.ParentKey],
                user: c.ParentKey is null ? 0 : 1, author: c.Author, email: c.Email, gmt: $"2024-03-{10 + i:00} 10:00:00"));
        comments.Append(Comment(101, "held", approved: "0", gmt: "2024-04-01 10:00:00"));
        comments.Append(Comment(102, "spam", approved: "spam", gmt: "2024-04-01 10:00:01"));
        comments.Append(Comment(103, "trashed", approved: "trash", gmt: "2024-04-01 10:00:02"));
        comments.Append(Comment(104, "[…] linked here […]", type: "pingback", gmt: "2024-04-01 10:00:03"));
        comments.Append(Comment(105, "third level", parent: 2, gmt: "2024-04-01 10:00:04"));
        comments.Append(Comment(106, "<p><strong>Bold</strong> &amp; <a href=\"https://example.org/\">a link</a></p><script>alert(1)</script><p>two<br>lines</p>", gmt: "2024-04-01 10:00:05"));
        return Wxr(comments.ToString(), link: seed.Page.Url);
    }

    private static async Task<string> TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "sc-import-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static string[] Bodies(JsonElement page) =>
        page.GetProperty("comments").EnumerateArray().SelectMany(Flatten).Select(c => c.GetProperty("body").GetString()!).ToArray();

    private static IEnumerable<JsonElement> Flatten(JsonElement c) => new[] { c }.Concat(c.GetProperty("replies").EnumerateArray().SelectMany(Flatten));

    [Fact]
    public async Task The_reference_thread_imports_by_the_verb_re_imports_as_a_no_op_and_round_trips_through_the_json_export()
    {
        var seed = SeedThread.Load();
        // One site, two processes: the same secret, so the same avatar ids (without one each
        // process draws its own key).
        var site = new Dictionary<string, string> { ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!" };
        await using var first = await SelfHost.StartAsync(azurite.ConnectionString, site);
        var wxr = await TempFile(ReferenceWxr(seed));
        var exportA = Path.ChangeExtension(wxr, ".a.json");
        var exportB = Path.ChangeExtension(wxr, ".b.json");
        try
        {
            var (exit, output) = await first.RunCommandAsync("import", "--format", "wxr", wxr);
            Assert.True(exit == 0, output);
            Assert.Contains("imported 12, already there 0, skipped 2 (pingback: 1, trash: 1)", output);

            var page = await first.GetThreadAsync(seed.Page.Thread);
            Assert.Equal(10, page.GetProperty("count").GetInt32()); // 8, the third level and the HTML one; not the held or spam ones
            var bodies = Bodies(page);
            Assert.All(seed.Comments, c => Assert.Contains(c.Body, bodies)); // byte-identical
            Assert.Contains("Bold & a link (https://example.org/)\n\ntwo\nlines", bodies);
            var roots = page.GetProperty("comments").EnumerateArray().ToList();
            Assert.Equal(seed.Comments.Where(c => c.ParentKey is null).Select(c => c.Body), roots.Take(4).Select(r => r.GetProperty("body").GetString()));
            Assert.All(roots.Take(4), r => Assert.True(r.GetProperty("replies")[0].GetProperty("byOwner").GetBoolean()));

            (exit, output) = await first.RunCommandAsync("import", "--format", "wxr", wxr);
            Assert.True(exit == 0, output);
            Assert.Contains("imported 0, already there 12", output);

            (exit, output) = await first.RunCommandAsync("export", "--format", "json", exportA);
            Assert.True(exit == 0, output);

            await using var second = await SelfHost.StartAsync(azurite.ConnectionString, site);
            (exit, output) = await second.RunCommandAsync("import", "--format", "json", exportA);
            Assert.True(exit == 0, output);
            Assert.Contains("imported 12", output);
            (exit, output) = await second.RunCommandAsync("export", "--format", "json", exportB);
            Assert.True(exit == 0, output);
            Assert.Equal(await File.ReadAllTextAsync(exportA), await File.ReadAllTextAsync(exportB));
            Assert.Equal(page.GetRawText(), (await second.GetThreadAsync(seed.Page.Thread)).GetRawText());
        }
        finally
        {
            foreach (var path in new[] { wxr, exportA, exportB })
                File.Delete(path);
        }
    }

    /// <summary>The reference thread as a Disqus export: its messages HTML, lines as &lt;br&gt;.</summary>
    private static string ReferenceDisqus(SeedThread seed)
    {
        var posts = new StringBuilder();
        foreach (var (c, i) in seed.Comments.Select((c, i) => (c, i)))
        {
            var html = string.Join("<br>", c.Body.Split('\n').Select(WebUtility.HtmlEncode));
            var parent = c.ParentKey is null ? "" : $"<parent dsq:id=\"{c.ParentKey}\" />";
            posts.Append($"""
                <post dsq:id="{c.Key}"><id /><message><![CDATA[{html}]]></message>
                  <createdAt>2024-03-{10 + i:00}T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
                  <author><email>{c.Email}</email><name>{WebUtility.HtmlEncode(c.Author)}</name><isAnonymous>false</isAnonymous></author>
                  <thread dsq:id="7" />{parent}</post>

                """);
        }
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="7"><id>legitimite</id><link>{seed.Page.Url}</link><title>{WebUtility.HtmlEncode(seed.Page.Title)}</title>
                <createdAt>2024-03-01T10:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>
            {posts}</disqus>
            """;
    }

    [Fact]
    public async Task The_reference_thread_imports_from_a_disqus_export_nested_and_byte_identical()
    {
        var seed = SeedThread.Load();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString);
        var file = await TempFile(ReferenceDisqus(seed));
        try
        {
            var (exit, output) = await host.RunCommandAsync("import", "--format", "disqus", file);
            Assert.True(exit == 0, output);
            Assert.Contains("imported 8", output);
            var page = await host.GetThreadAsync(seed.Page.Thread);
            Assert.Equal(8, page.GetProperty("count").GetInt32());
            var roots = page.GetProperty("comments").EnumerateArray().ToList();
            Assert.Equal(seed.Comments.Where(c => c.ParentKey is null).Select(c => c.Body), roots.Select(r => r.GetProperty("body").GetString()));
            Assert.Equal(seed.Comments.Where(c => c.ParentKey is not null).Select(c => c.Body),
                roots.Select(r => r.GetProperty("replies").EnumerateArray().Single().GetProperty("body").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_bad_file_fails_naming_its_line_and_a_dry_run_writes_nothing()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString);
        var broken = await TempFile(Wxr(Comment(1) + Comment(2, gmt: "not a date")));
        try
        {
            var (exit, output) = await host.RunCommandAsync("import", "--format", "wxr", broken, "--dry-run");
            Assert.Equal(1, exit);
            Assert.Matches(@"Line \d+: <wp:comment_date_gmt> holds 'not a date'", output);

            await File.WriteAllTextAsync(broken, Wxr(Comment(1)));
            (exit, output) = await host.RunCommandAsync("import", "--format", "wxr", broken, "--dry-run");
            Assert.True(exit == 0, output);
            Assert.Contains("Dry run, nothing written", output);
            Assert.Equal(0, (await host.GetThreadAsync("/2024/03/post/")).GetProperty("count").GetInt32());
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task A_file_that_yields_nothing_exits_3_from_the_verb_and_the_http_import_says_why()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, Admin);
        var foreign = Wxr(Comment(1)).Replace("http://wordpress.org/export/1.2/", "http://example.org/not-wordpress/");
        var file = await TempFile(foreign);
        try
        {
            var (exit, output) = await host.RunCommandAsync("import", "--format", "wxr", file);
            Assert.True(exit == 3, output);
            Assert.Contains("Nothing to import", output);
            Assert.Contains("http://example.org/not-wordpress/", output);

            // WordPress.com's https namespace is a WordPress export: read, imported, exit 0.
            await File.WriteAllTextAsync(file, Wxr(Comment(1)).Replace("http://wordpress.org/export/", "https://wordpress.org/export/"));
            (exit, output) = await host.RunCommandAsync("import", "--format", "wxr", file);
            Assert.True(exit == 0, output);
            Assert.Contains("imported 1", output);

            using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/import?format=wxr")
            {
                Content = new StringContent(Wxr(Comment(7, type: "note", approved: "0")), Encoding.UTF8, "application/xml"),
            };
            request.Headers.Authorization = new("Bearer", Api.AdminKey);
            var answer = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("Nothing to import: all 1 comment(s) read were skipped (type note: 1)", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(0, "--help")]
    [InlineData(0, "import", "--help")]
    [InlineData(0, "export", "--help")]
    [InlineData(0, "replay-poison", "--help")]
    [InlineData(0, "rebuild-views", "--help")]
    [InlineData(2, "bogus")]
    [InlineData(2, "import", "--format", "wxr", "a.xml", "--nope")]
    [InlineData(2, "import", "--format", "csv", "a.xml")]
    [InlineData(2, "export", "--format")]
    public async Task Every_verb_answers_help_and_an_unknown_verb_or_option_exits_non_zero(int expected, params string[] args)
    {
        var (exit, output) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), args);
        Assert.True(exit == expected, output);
        Assert.Contains("Usage: ServerlessComments.SelfHost", output);
    }

    [Fact]
    public async Task The_admin_routes_import_export_find_and_erase_a_persons_data_everywhere()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, Admin);
        async Task<HttpResponseMessage> PostFile(string query, string file)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/import?" + query) { Content = new StringContent(file, Encoding.UTF8, "application/xml") };
            request.Headers.Authorization = new("Bearer", Api.AdminKey);
            return await host.Http.SendAsync(request);
        }
        var broken = await PostFile("format=wxr", Wxr(Comment(1, gmt: "soon")));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var problem = await broken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches(@"^Line \d+: <wp:comment_date_gmt> holds 'soon'", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        var dry = await (await PostFile("format=disqus&dryRun=true", DisqusSample)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, (await host.GetThreadAsync("/2024/03/post/")).GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFile("format=disqus&map=sideways", DisqusSample)).StatusCode);

        var content = new StringContent(DisqusSample, Encoding.UTF8, "application/xml");
        using var import = new HttpRequestMessage(HttpMethod.Post, "api/admin/import?format=disqus") { Content = content };
        import.Headers.Authorization = new("Bearer", Api.AdminKey);
        var imported = await host.Http.SendAsync(import);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var summary = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, summary.GetProperty("imported").GetInt32());
        Assert.Equal(1, summary.GetProperty("skipped").GetProperty("deleted").GetInt32());

        // Listed for the owner under their statuses, as comments posted here are.
        var spam = await host.AdminListAsync("spam");
        Assert.Equal("Spammer", spam.GetProperty("comments").EnumerateArray().Single().GetProperty("author").GetString());
        Assert.Equal(2, (await host.AdminListAsync("published")).GetProperty("comments").GetArrayLength());

        var found = await (await host.AdminAsync(HttpMethod.Get, "personal-data?email=READER@example.com")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("198.51.100.4", found.GetProperty("comments").EnumerateArray().Single().GetProperty("ip").GetString());

        var unauthorised = await host.Http.GetAsync("api/admin/export?format=json");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        var bad = await host.AdminAsync(HttpMethod.Get, "export?format=csv");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"format\"", await bad.Content.ReadAsStringAsync());

        using var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
        {
            Content = JsonContent.Create(new { email = "reader@example.com", mode = "anonymise", keepText = true, lang = "en" }),
        };
        erase.Headers.Authorization = new("Bearer", Api.AdminKey);
        var erased = await host.Http.SendAsync(erase);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(1, (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("anonymised").GetInt32());

        // Nowhere: not in any row of the table (comments, lists, index), nor the view, nor the export.
        await foreach (var row in host.Table.QueryAsync<TableEntity>())
        {
            foreach (var value in row.Select(p => p.Value).OfType<string>())
            {
                Assert.DoesNotContain("reader@example.com", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("198.51.100.4", value);
            }
            Assert.NotEqual(CommentTable.EmailKey("reader@example.com"), row.RowKey);
        }
        var page = (await host.GetThreadAsync("/2024/03/post/")).GetRawText();
        Assert.DoesNotContain("\"Reader\"", page);
        Assert.Contains("Anonymous", page);
        Assert.Contains("First!", page); // the text was kept
        var export = await (await host.AdminAsync(HttpMethod.Get, "export?format=json")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("reader@example.com", export);
        Assert.Equal(3, JsonDocument.Parse(export).RootElement.GetArrayLength());
        var wxr = await (await host.AdminAsync(HttpMethod.Get, "export?format=wxr&blogUrl=https://blog.example.com")).Content.ReadAsStringAsync();
        Assert.Contains("<wp:comment_author>Anonymous</wp:comment_author>", wxr);
    }
}
